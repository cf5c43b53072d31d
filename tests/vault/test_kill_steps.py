"""kill -9 at each named step of backup, restore and init: the next start finishes or undoes it, and nothing is lost.

The steps are fault-injection points (`store.step`); the test settings (AFTERGLOW_TESTING) name the one to die at.
"""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

from afterglow.vault import keyfile, store
from tests.vault.conftest import PASSPHRASE, cli_env, export, ok, run
from tests.webclient import serving

NEW = "a brand new passphrase"
LEFTOVERS = ("*.partial", ".*.partial", "*.tmp", ".*.tmp", "*.restoring", "restore.json", "journal.db.creating")


def killed_at(home: Path, step: str, *args: str, **extra: str) -> None:
    result = run(home, *args, AFTERGLOW_TESTING="1", AFTERGLOW_TEST_KILL_AT=step, **extra)
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr)


def leftovers(home: Path) -> list[Path]:
    return [p for pattern in LEFTOVERS for folder in (home, home / "backups") for p in folder.glob(pattern)]


def assert_every_backup_is_whole(home: Path) -> None:
    key = keyfile.load(home / "keys.json").open_with_passphrase(PASSPHRASE)
    folder = home / "backups"
    backups = sorted(folder.glob("journal-*.db")) if folder.is_dir() else []
    for backup in backups:
        store.check(backup, key)
        assert (folder / (backup.stem + ".keys.json")).read_bytes() == (home / "keys.json").read_bytes()
    keys = sorted(folder.glob("journal-*.keys.json")) if folder.is_dir() else []
    assert [k.name.removesuffix(".keys.json") for k in keys] == [b.stem for b in backups]


@pytest.mark.parametrize("step", ["backup-copied", "backup-keys-written", "backup-written"])
def test_a_backup_killed_at_any_step_leaves_only_whole_backups(home: Path, step: str):
    before = export(home)
    killed_at(home, step, "backup")
    assert leftovers(home) != [] or step == "backup-written"

    assert "the colours were warm and slow" in ok(run(home, "list"))
    assert leftovers(home) == []
    assert_every_backup_is_whole(home)
    assert export(home) == before


@pytest.mark.parametrize("step", ["backup-copied", "backup-keys-written"])
def test_a_backup_to_a_chosen_file_killed_half_way_never_shows_a_backup_without_its_keys(home: Path, tmp_path: Path, step: str):
    killed_at(home, step, "backup", "-o", str(tmp_path / "mine.db"))
    assert not (tmp_path / "mine.db").exists()
    ok(run(home, "backup", "-o", str(tmp_path / "mine.db"), "--force"))
    assert (tmp_path / "mine.keys.json").is_file()


@pytest.fixture
def changed_since(home: Path, tmp_path: Path) -> tuple[Path, str, str]:
    """A backup made with PASSPHRASE, then the passphrase changed to NEW and one more entry written:
    restoring it with PASSPHRASE swaps both journal.db and keys.json. Returns it and both exports."""
    ok(run(home, "backup", "-o", str(tmp_path / "b.db")))
    backed_up = export(home)
    ok(run(home, "passphrase", "change", AFTERGLOW_NEW_PASSPHRASE=NEW))
    ok(run(home, "write", "written after the backup", AFTERGLOW_PASSPHRASE=NEW))
    return tmp_path / "b.db", backed_up, export(home, NEW)


def journal_in(safety: Path, tmp_path: Path, passphrase: str) -> str:
    """The export of a safety copy, opened on its own as a journal with the keys beside it."""
    elsewhere = tmp_path / "safety-home"
    elsewhere.mkdir()
    shutil.copy(safety, elsewhere / "journal.db")
    if safety.with_name(safety.name + "-wal").exists():
        shutil.copy(safety.with_name(safety.name + "-wal"), elsewhere / "journal.db-wal")
    shutil.copy(safety.with_name(safety.stem + ".keys.json"), elsewhere / "keys.json")
    return export(elsewhere, passphrase)


@pytest.mark.parametrize("step", ["restore-staged", "restore-safety-made"])
def test_a_restore_killed_before_it_records_the_swap_leaves_the_journal_as_it_was(home, tmp_path, changed_since, step):
    backup, _, current = changed_since
    killed_at(home, step, "restore", str(backup))

    assert "written after the backup" in ok(run(home, "list", AFTERGLOW_PASSPHRASE=NEW))
    assert leftovers(home) == []
    # The safety copy was a second name for the live journal, not a copy of it: it is gone.
    assert list((home / "backups").glob("before-restore-*")) == []
    assert export(home, NEW) == current


@pytest.mark.parametrize("step", ["restore-intent-written", "restore-journal-swapped", "restore-keys-swapped"])
def test_a_restore_killed_after_it_records_the_swap_is_finished_by_the_next_start(home, tmp_path, changed_since, step):
    backup, backed_up, current = changed_since
    killed_at(home, step, "restore", str(backup))

    result = run(home, "list")  # the backup's passphrase: its keys.json is the one in place now
    assert result.returncode == 0, result.stderr
    assert "Finished a restore that had been interrupted" in result.stderr or step == "restore-keys-swapped"
    assert "written after the backup" not in result.stdout
    assert leftovers(home) == []
    assert export(home) == backed_up
    # Nothing lost: what was replaced is whole in the safety copy, with the keys that open it.
    (safety,) = (home / "backups").glob("before-restore-*.db")
    assert journal_in(safety, tmp_path, NEW) == current


def test_serve_finishes_an_interrupted_restore_before_it_opens_the_journal(home, tmp_path, changed_since):
    backup, backed_up, _ = changed_since
    killed_at(home, "restore-journal-swapped", "restore", str(backup))
    with serving(cli_env(home)) as web:
        assert b"the colours were warm and slow" in web.get("/timeline")
    assert export(home) == backed_up and leftovers(home) == []


def test_init_killed_after_writing_its_keys_is_finished_at_the_next_start(tmp_path: Path):
    home = tmp_path / "home"
    killed_at(home, "init-keys-written", "init")
    assert (home / "keys.json").exists() and not (home / "journal.db").exists()
    ok(run(home, "write", "the first words"))
    assert "the first words" in export(home) and leftovers(home) == []


def test_leftovers_of_older_versions_are_cleared_at_start_and_a_persons_own_files_kept(home: Path):
    folder = home / "backups"
    folder.mkdir(exist_ok=True)
    made = {
        home / ".keys.json.tmp": b"{half",
        home / "journal.db.restoring": b"unverified copy",
        folder / "before-restore-2025-01-03-120000.db-wal": b"the WAL of a safety copy never finished",
        folder / "journal-2025-01-01-120000.db.partial": b"half a backup",
        folder / "journal-2025-01-02-120000.keys.json": b"{}",  # keys of a backup that never appeared
    }
    kept = {folder / "notes.partial": b"mine", folder / "holiday.keys.json": b"mine", home / "notes.txt": b"mine"}
    for path, data in {**made, **kept}.items():
        path.write_bytes(data)

    ok(run(home, "list"))

    assert [p for p in made if p.exists()] == []
    assert all(p.read_bytes() == data for p, data in kept.items())


def test_nothing_is_cleared_while_another_process_has_the_journal_open(home: Path):
    with serving(cli_env(home)):
        (home / ".keys.json.tmp").write_bytes(b"being written right now")
        ok(run(home, "list"))
        assert (home / ".keys.json.tmp").exists()


def test_a_restore_onto_a_new_computer_killed_before_its_keys_arrive_is_finished(home: Path, tmp_path: Path):
    ok(run(home, "backup", "-o", str(tmp_path / "moving.db")))
    new_home = tmp_path / "new-laptop"
    new_home.mkdir()
    killed_at(new_home, "restore-journal-swapped", "restore", str(tmp_path / "moving.db"))
    assert (new_home / "journal.db").exists() and not (new_home / "keys.json").exists()

    assert "the colours were warm and slow" in ok(run(new_home, "list"))
    assert leftovers(new_home) == [] and not list(new_home.glob("backups/before-restore-*"))
