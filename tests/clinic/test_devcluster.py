"""The throwaway cluster cleans up after a run that was killed before it could."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from afterglow.clinic import devcluster

pytestmark = pytest.mark.clinic


@pytest.fixture
def parent():
    # pytest's tmp_path is private to this user; PostgreSQL's own user must reach into this folder.
    folder = Path(tempfile.mkdtemp(prefix="afterglow-reap-test-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_cluster_left_by_a_killed_run_is_stopped_and_deleted_by_the_next(parent):
    tmp_path = parent
    code = (
        "import os\nfrom afterglow.clinic.devcluster import start_cluster\n"
        f"c = start_cluster({str(tmp_path)!r})\nprint(c.folder, flush=True)\nos._exit(0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    folder = done.stdout.strip()
    assert (tmp_path / folder.rsplit("/", 1)[1] / "data" / "postmaster.pid").exists()
    assert devcluster.reap_orphans(str(tmp_path)) == 1
    assert not list(tmp_path.glob("afterglow-pg-*"))
