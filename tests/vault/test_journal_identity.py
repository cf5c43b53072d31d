"""A journal that should be there and is not, backups of other journals, and what rotation may delete."""

from __future__ import annotations

import hashlib
import shutil
import urllib.error
import urllib.parse
from pathlib import Path

from tests.vault.conftest import cli_env, export, ok, python, run
from tests.webclient import serving

THEIRS = "a different passphrase entirely"


def refused(result, words: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert words in lines[0], lines[0]
    return lines[0]


def fingerprint(home: Path) -> dict[str, str]:
    files = [p for p in home.iterdir() if p.name.startswith(("journal.db", "keys"))]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


# --- a missing journal.db ---


def test_it_refuses_to_start_an_empty_journal_when_journal_db_is_missing(home: Path):
    (home / "journal.db").rename(home.parent / "moved-away.db")
    for verb in (["list"], ["write", "new words"], ["backup"], ["search", "colours"]):
        refused(run(home, *verb), "journal.db is missing")
    assert not (home / "journal.db").exists()
    assert not list(home.glob("backups/journal-*"))


def test_the_web_unlock_says_the_journal_is_missing_instead_of_opening_an_empty_one(home: Path):
    (home / "journal.db").rename(home.parent / "moved-away.db")
    env = cli_env(home)
    del env["AFTERGLOW_PASSPHRASE"]
    with serving(env) as web:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": web.token("/unlock"), "passphrase": "quiet river under pines"})
        try:
            web.post("/unlock", body.encode(), "application/x-www-form-urlencoded")
            raise AssertionError("unlock should have been refused")
        except urllib.error.HTTPError as exc:
            assert exc.code == 409 and b"journal.db is missing" in exc.read()
    assert not (home / "journal.db").exists()


def test_restore_still_brings_back_a_missing_journal(home: Path, tmp_path: Path):
    ok(run(home, "backup", "-o", str(tmp_path / "b.db")))
    (home / "journal.db").unlink()
    ok(run(home, "restore", str(tmp_path / "b.db")))
    assert "the colours were warm and slow" in export(home)


# --- rotation ---


def _plant(folder: Path, source: Path, name: str) -> None:
    shutil.copy(source, folder / name)
    shutil.copy(source.with_name(source.name.removesuffix(".db") + ".keys.json"), folder / name.replace(".db", ".keys.json"))


def test_rotation_keeps_the_newest_backups_of_this_journal_and_never_touches_another_journals(home: Path, foreign: Path):
    ok(run(home, "backup", "-o", str(home.parent / "ours.db")))
    folder = home / "backups"
    folder.mkdir(exist_ok=True)
    for day in range(1, 5):
        _plant(folder, home.parent / "ours.db", f"journal-2025-01-0{day}-120000.db")
    _plant(folder, foreign / "theirs.db", "journal-2024-06-01-120000.db")  # older than all of ours
    _plant(folder, home.parent / "ours.db", "before-restore-2024-12-31-000000.db")

    ok(run(home, "backup", AFTERGLOW_BACKUPS_KEEP="2"))

    names = {p.name for p in folder.glob("*.db")}
    new = {n for n in names if n.startswith("journal-") and not n.startswith(("journal-2024", "journal-2025-01"))}
    assert len(new) == 1
    assert names == new | {"journal-2025-01-04-120000.db", "journal-2024-06-01-120000.db", "before-restore-2024-12-31-000000.db"}
    assert len(list(folder.glob("*.keys.json"))) == len(names)


def test_rotation_gives_a_backup_of_this_journal_its_missing_keys_file(home: Path):
    ok(run(home, "backup", "-o", str(home.parent / "ours.db")))
    folder = home / "backups"
    folder.mkdir(exist_ok=True)
    shutil.copy(home.parent / "ours.db", folder / "journal-2025-01-01-120000.db")  # its keys file was lost
    ok(run(home, "backup"))
    assert (folder / "journal-2025-01-01-120000.keys.json").read_bytes() == (home / "keys.json").read_bytes()


def test_two_backups_in_the_same_second_are_both_kept(home: Path):
    out = python(
        home,
        "import django; django.setup();"
        "from afterglow.vault.session import unlock_for_cli; unlock_for_cli();"
        "from afterglow.vault import backup;"
        "backup.default_name = lambda now=None: 'journal-2025-05-05-120000.db';"
        "print(backup.make_backup().name, backup.make_backup().name)",
    )
    assert out.split() == ["journal-2025-05-05-120000.db", "journal-2025-05-05-120000-2.db"]


# --- another journal's backup ---


def test_it_asks_before_restoring_another_journals_backup_even_with_its_passphrase(home: Path, foreign: Path, tmp_path: Path):
    shutil.copy(foreign / "theirs.db", tmp_path / "theirs.db")
    shutil.copy(foreign / "theirs.keys.json", tmp_path / "theirs.keys.json")
    before = fingerprint(home)

    line = refused(run(home, "restore", str(tmp_path / "theirs.db"), AFTERGLOW_PASSPHRASE=THEIRS), "another journal")
    assert "--other-journal" in line and "Nothing was changed" in line
    assert fingerprint(home) == before
    assert not (home / "journal.db.restoring").exists() and not (home / "keys.json.restoring").exists()

    ok(run(home, "restore", str(tmp_path / "theirs.db"), "--other-journal", AFTERGLOW_PASSPHRASE=THEIRS))
    assert "someone else's words" in export(home, THEIRS)
    (safety,) = (home / "backups").glob("before-restore-*.db")
    assert safety.with_name(safety.stem + ".keys.json").exists()


def test_it_restores_its_own_backup_with_the_old_passphrase_without_asking(home: Path, tmp_path: Path):
    ok(run(home, "backup", "-o", str(tmp_path / "b.db")))
    ok(run(home, "passphrase", "change", AFTERGLOW_NEW_PASSPHRASE="a brand new passphrase"))
    ok(run(home, "restore", str(tmp_path / "b.db")))  # the passphrase of the day it was made
    assert "the colours were warm and slow" in export(home)


def test_another_journals_backup_does_not_count_as_todays_daily_backup(home: Path, foreign: Path):
    folder = home / "backups"
    folder.mkdir(exist_ok=True)
    _plant(folder, foreign / "theirs.db", "journal-2099-01-01-000000.db")
    code = (
        "import django; django.setup();"
        "from afterglow.vault.session import unlock_for_cli; unlock_for_cli();"
        "from afterglow.vault import backup; print(backup.latest_age_seconds())"
    )
    assert python(home, code).strip() == "None"
