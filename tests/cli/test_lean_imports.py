"""The journal verbs import what they use: not every page's views (and with them PyAV and NumPy)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.vault.conftest import cli_env, ok, run


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("lean") / "home"
    ok(run(home, "init"))
    ok(run(home, "write", "the owl called twice"))
    return home


@pytest.mark.parametrize("args", [("list",), ("search", "owl"), ("write", "and the fox answered")])
def test_a_journal_verb_loads_no_page_views(home, args):
    command = [sys.executable, "-X", "importtime", "-m", "afterglow", *args]
    done = subprocess.run(command, env=cli_env(home), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "django.db" in imported  # the direct way: Django and the journal
    assert not imported & {"afterglow.urls", "numpy", "av"}
