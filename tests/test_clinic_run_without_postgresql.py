"""The clinic run on a machine without PostgreSQL: one line and success, except on CI, where it fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clinic_run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    dropped = ("CI", "DATABASE_URL", "AFTERGLOW_", "DJANGO_")
    bare = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    bare.update(PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin", AFTERGLOW_PG_LIB=str(tmp_path / "none"), **env)
    command = [sys.executable, "-m", "pytest", "--ds", "tests.settings_clinic", "tests/clinic/test_cluster.py"]
    return subprocess.run(command, cwd=ROOT, env=bare, capture_output=True, text=True, timeout=120)


def test_without_postgresql_the_clinic_run_says_so_in_one_line_and_passes(tmp_path):
    done = clinic_run(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    said = [line for line in (done.stdout + done.stderr).splitlines() if "PostgreSQL" in line]
    assert len(said) == 1 and "clinic tests skipped: PostgreSQL is not installed here" in said[0]


def test_on_ci_a_missing_postgresql_fails_the_run(tmp_path):
    done = clinic_run(tmp_path, CI="1")
    assert done.returncode != 0
    assert "PostgreSQL is not installed" in done.stdout + done.stderr
