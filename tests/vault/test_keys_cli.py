from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.vault.conftest import PASSPHRASE, cli_env, ok, run
from tests.webclient import serving


def test_a_wrong_passphrase_is_one_line_and_exit_2(home: Path):
    result = run(home, "list", AFTERGLOW_PASSPHRASE="not my passphrase")
    assert result.returncode == 2
    message = "afterglow: That passphrase does not open this journal. Please check it and try again."
    assert result.stderr.strip().splitlines() == [message]


def test_it_changes_the_passphrase_and_only_the_new_one_opens(home: Path):
    journal_before = (home / "journal.db").read_bytes()
    ok(run(home, "passphrase", "change", AFTERGLOW_NEW_PASSPHRASE="fresh snow on the hill"))
    assert (home / "journal.db").read_bytes() == journal_before  # re-wrapped the key only
    assert run(home, "list").returncode == 2
    assert "the colours were warm and slow" in ok(run(home, "list", AFTERGLOW_PASSPHRASE="fresh snow on the hill"))


def test_it_recovers_with_the_recovery_key(tmp_path: Path):
    home = tmp_path / "home"
    out = ok(run(home, "init"))
    groups = out.split("safe:")[1].split("If you")[0].split()
    assert len(groups) == 8 and all(len(g) == 5 for g in groups)
    ok(run(home, "write", "still here after recovery"))

    wrong = run(home, "recover", AFTERGLOW_RECOVERY_KEY="AAAAA-" * 7 + "AAAAA", AFTERGLOW_NEW_PASSPHRASE="new start 2025")
    assert wrong.returncode == 2 and "recovery key does not match" in wrong.stderr

    ok(run(home, "recover", AFTERGLOW_RECOVERY_KEY=" ".join(groups).lower(), AFTERGLOW_NEW_PASSPHRASE="new start 2025"))
    assert run(home, "list").returncode == 2
    assert "still here after recovery" in ok(run(home, "list", AFTERGLOW_PASSPHRASE="new start 2025"))


def test_keys_json_holds_no_secret_in_clear_and_is_private(home: Path):
    doc = json.loads((home / "keys.json").read_text())
    assert doc["kdf"]["name"] == "argon2id" and {"time_cost", "memory_kib", "parallelism", "salt"} <= doc["kdf"].keys()
    assert PASSPHRASE not in (home / "keys.json").read_text()
    assert oct((home / "keys.json").stat().st_mode & 0o777) == "0o600"
    assert oct((home / "journal.db").stat().st_mode & 0o777) == "0o600"


def test_it_explains_a_missing_keys_file(home: Path):
    (home / "keys.json").unlink()
    result = run(home, "list")
    assert result.returncode == 2 and "keys.json is missing" in result.stderr and "Traceback" not in result.stderr


def test_it_explains_that_there_is_no_journal_yet(tmp_path: Path):
    result = run(tmp_path / "empty", "list")
    assert result.returncode == 2 and "afterglow init" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_it_explains_a_read_only_data_folder(tmp_path: Path):
    home = tmp_path / "ro"
    home.mkdir()
    (home / "secret_key").write_text("x" * 50)
    home.chmod(0o500)
    try:
        result = run(home, "init")
    finally:
        home.chmod(0o700)
    assert result.returncode == 2 and "cannot write to its data folder" in result.stderr


def test_init_refuses_to_overwrite_an_existing_journal(home: Path):
    before = (home / "keys.json").read_bytes()
    result = run(home, "init")
    assert result.returncode == 2 and "already exists" in result.stderr
    assert (home / "keys.json").read_bytes() == before


def _plain_journal(home: Path) -> None:
    import sqlite3

    ok(run(home, "migrate", "--verbosity", "0"))  # a plain journal.db, as before the vault
    plain = sqlite3.connect(home / "journal.db")
    plain.execute(
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)"
        " VALUES ('', 0, 'me', '', '', '', 0, 1, '2025-01-01')"
    )
    plain.execute(
        "INSERT INTO journal_entry (owner_id, uid, mode, prompt_id, prompt_text, title, text, private, created_at, updated_at)"
        " VALUES (1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'free', '', '', '', 'written long ago PLAINOLD', 0,"
        " '2025-01-01 10:00:00', '2025-01-01 10:00:00')"
    )
    plain.commit()
    plain.close()


def test_init_encrypts_a_journal_made_before_the_vault(tmp_path: Path):
    home = tmp_path / "old"
    _plain_journal(home)
    out = ok(run(home, "init"))

    assert "now encrypted" in out
    assert not any(b"PLAINOLD" in p.read_bytes() for p in home.rglob("*") if p.is_file())
    assert not list(home.glob("*safety*"))
    assert "written long ago PLAINOLD" in ok(run(home, "list"))


def test_init_does_not_encrypt_a_journal_that_a_running_server_has_open(tmp_path: Path):
    home = tmp_path / "old"
    _plain_journal(home)
    before = (home / "journal.db").read_bytes()
    env = cli_env(home)
    del env["AFTERGLOW_PASSPHRASE"]
    with serving(env):
        result = run(home, "init")
    assert result.returncode == 2 and "Another Afterglow process has this journal open" in result.stderr
    assert (home / "journal.db").read_bytes() == before and not (home / "keys.json").exists()
    assert "now encrypted" in ok(run(home, "init"))
