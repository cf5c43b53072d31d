"""Helpers for vault tests that run the real `afterglow` program on a throw-away data dir."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.settings_test import program_env

AFTERGLOW = [sys.executable, "-m", "afterglow"]
PASSPHRASE = "quiet river under pines"


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """A real process's environment, on the test settings (trivial Argon2id cost) whatever `extra` names."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AFTERGLOW_", "DJANGO_"))}
    env.update({"AFTERGLOW_HOME": str(home), "AFTERGLOW_PASSPHRASE": PASSPHRASE, **extra})
    return program_env(env)


def journal_file_for(data_key: bytes) -> None:
    """An empty journal.db beside keys.json, opened by `data_key`: unlocking never makes one where it is missing."""
    from afterglow.vault import store

    store.connect(store.journal_path(), data_key).execute("PRAGMA journal_mode = WAL").connection.close()


def run(home: Path, *args: str, input: str | None = None, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*AFTERGLOW, *args], env=cli_env(home, **extra), input=input, capture_output=True, text=True, timeout=60
    )


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def _initialised_template(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("template") / "home"
    ok(run(home, "init"))
    ok(run(home, "session", "add", "--date", "2025-03-01", "--route", "im", "--intention", "meet the fear gently"))
    ok(run(home, "write", "the colours were warm and slow"))
    ok(run(home, "checkin", "--mood", "6", "--anxiety", "3", "--note", "slept well", "--date", "2025-03-02"))
    return home


@pytest.fixture
def home(_initialised_template: Path, tmp_path: Path) -> Path:
    """A data dir holding an encrypted journal with a session, an entry and a check-in."""
    target = tmp_path / "home"
    shutil.copytree(_initialised_template, target)
    return target


@pytest.fixture(scope="session")
def foreign(tmp_path_factory) -> Path:
    """A folder with a backup of someone else's journal (other passphrase), its keys beside it."""
    folder = tmp_path_factory.mktemp("foreign")
    other, passphrase = folder / "home", "a different passphrase entirely"
    ok(run(other, "init", AFTERGLOW_PASSPHRASE=passphrase))
    ok(run(other, "write", "someone else's words", AFTERGLOW_PASSPHRASE=passphrase))
    ok(run(other, "backup", "-o", str(folder / "theirs.db"), AFTERGLOW_PASSPHRASE=passphrase))
    return folder


EXPORT = (
    "import django; django.setup();"
    "from afterglow.vault.session import unlock_for_cli; unlock_for_cli();"
    "from afterglow.access import local_patient;"
    "from afterglow.journal.snapshot import export_json; print(export_json(local_patient()))"
)


def python(home: Path, code: str, **extra: str) -> str:
    """What a separate Python process, with Django set up for the journal in `home`, prints."""
    env = cli_env(home, **extra)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def export(home: Path, passphrase: str = PASSPHRASE) -> str:
    """The JSON export of the journal in `home`, read by a separate process."""
    return python(home, EXPORT, AFTERGLOW_PASSPHRASE=passphrase)


def all_bytes_under(folder: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()]
