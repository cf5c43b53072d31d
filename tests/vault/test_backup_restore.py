from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.vault.conftest import PASSPHRASE, export, ok, run


def fingerprint(home: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in home.iterdir() if p.name.startswith("journal.db")}


def test_it_restores_exactly_what_was_backed_up(home: Path):
    backup = home / "backups" / "kept.db"
    ok(run(home, "backup", "-o", str(backup)))
    before = export(home)
    assert "the colours were warm and slow" in before and '"mood": 6' in before

    ok(run(home, "write", "written after the backup"))
    ok(run(home, "checkin", "--mood", "2", "--note", "changed", "--date", "2025-03-03"))
    assert export(home) != before

    out = ok(run(home, "restore", str(backup)))
    assert "kept as" in out
    assert export(home) == before
    safety = list((home / "backups").glob("before-restore-*.db"))
    assert len(safety) == 1 and (home / "backups" / (safety[0].stem + ".keys.json")).exists()


def test_it_names_backups_by_date_and_writes_their_keys_beside_them(home: Path):
    out = ok(run(home, "backup"))
    made = list((home / "backups").glob("journal-*.db"))
    assert len(made) == 1 and made[0].name in out
    assert re.fullmatch(r"journal-\d{4}-\d{2}-\d{2}-\d{6}\.db", made[0].name)
    assert (home / "backups" / made[0].name.replace(".db", ".keys.json")).read_bytes() == (home / "keys.json").read_bytes()
    assert oct(made[0].stat().st_mode & 0o777) == "0o600"


def _truncated(home: Path, tmp: Path) -> Path:
    ok(run(home, "backup", "-o", str(tmp / "full.db")))
    data = (tmp / "full.db").read_bytes()
    (tmp / "bad.db").write_bytes(data[: len(data) // 2 + 100])
    return tmp / "bad.db"


def _flipped_byte(home: Path, tmp: Path) -> Path:
    """A whole backup with one bit changed inside a page in the middle of the file."""
    ok(run(home, "backup", "-o", str(tmp / "full.db")))
    data = bytearray((tmp / "full.db").read_bytes())
    page = 4096
    data[(len(data) // page // 2) * page + 1000] ^= 0x01
    (tmp / "bad.db").write_bytes(bytes(data))
    return tmp / "bad.db"


def _damaged(home: Path, tmp: Path, change) -> Path:
    ok(run(home, "backup", "-o", str(tmp / "full.db")))
    data = bytearray((tmp / "full.db").read_bytes())
    change(data, 4096, len(data) // 4096)
    (tmp / "bad.db").write_bytes(bytes(data))
    return tmp / "bad.db"


def _cut_at_a_page_boundary(home: Path, tmp: Path) -> Path:
    """Every page left is sound (their HMACs pass): only the header's page count tells."""
    return _damaged(home, tmp, lambda data, page, pages: data.__delitem__(slice((pages // 2) * page, None)))


def _first_page_flipped(home: Path, tmp: Path) -> Path:
    return _damaged(home, tmp, lambda data, page, pages: data.__setitem__(200, data[200] ^ 0x08))


def _last_page_flipped(home: Path, tmp: Path) -> Path:
    return _damaged(home, tmp, lambda data, page, pages: data.__setitem__(len(data) - 40, data[len(data) - 40] ^ 0x80))


def _two_pages_swapped(home: Path, tmp: Path) -> Path:
    def swap(data: bytearray, page: int, pages: int) -> None:
        a, b = page, (pages - 1) * page  # pages 2 and the last, each whole and sound where it was
        data[a : a + page], data[b : b + page] = data[b : b + page], data[a : a + page]

    return _damaged(home, tmp, swap)


def _page_zeroed(home: Path, tmp: Path) -> Path:
    return _damaged(home, tmp, lambda data, page, pages: data.__setitem__(slice(2 * page, 3 * page), bytes(page)))


def _random(home: Path, tmp: Path) -> Path:
    (tmp / "bad.db").write_bytes(os.urandom(64 * 1024))
    return tmp / "bad.db"


def _foreign(foreign: Path, tmp: Path) -> Path:
    shutil.copy(foreign / "theirs.db", tmp / "bad.db")  # a stray file without its keys
    return tmp / "bad.db"


def _foreign_with_its_keys(foreign: Path, tmp: Path) -> Path:
    shutil.copy(foreign / "theirs.db", tmp / "bad.db")
    shutil.copy(foreign / "theirs.keys.json", tmp / "bad.keys.json")
    return tmp / "bad.db"


OURS = [
    _truncated,
    _flipped_byte,
    _cut_at_a_page_boundary,
    _first_page_flipped,
    _last_page_flipped,
    _two_pages_swapped,
    _page_zeroed,
]


@pytest.mark.parametrize("make_bad", [*OURS, _random, _foreign, _foreign_with_its_keys])
def test_it_refuses_a_bad_backup_and_leaves_the_journal_untouched(home: Path, foreign: Path, tmp_path: Path, make_bad):
    bad = make_bad(home if make_bad in OURS else foreign, tmp_path)
    before = fingerprint(home)
    keys_before = (home / "keys.json").read_bytes()

    result = run(home, "restore", str(bad))

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "not changed" in lines[0] or "Nothing was changed" in lines[0] or "cannot be opened" in lines[0]
    assert fingerprint(home) == before
    assert (home / "keys.json").read_bytes() == keys_before
    assert not (home / "journal.db.restoring").exists()


def test_it_restores_a_backup_onto_a_new_machine_with_its_keys(home: Path, tmp_path: Path):
    ok(run(home, "backup", "-o", str(tmp_path / "moving.db")))
    new_home = tmp_path / "new-laptop"
    new_home.mkdir()
    ok(run(new_home, "restore", str(tmp_path / "moving.db")))
    assert "the colours were warm and slow" in export(new_home)


def test_it_says_clearly_when_the_backup_file_is_missing(home: Path, tmp_path: Path):
    result = run(home, "restore", str(tmp_path / "nowhere.db"))
    assert result.returncode == 2 and "There is no backup file" in result.stderr


def test_restore_with_the_wrong_passphrase_changes_nothing(home: Path, tmp_path: Path):
    ok(run(home, "backup", "-o", str(tmp_path / "b.db")))
    before = fingerprint(home)
    result = run(home, "restore", str(tmp_path / "b.db"), AFTERGLOW_PASSPHRASE="not the passphrase")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert fingerprint(home) == before


def test_a_backup_opens_with_the_passphrase_even_after_it_changed(home: Path, tmp_path: Path):
    ok(run(home, "backup", "-o", str(tmp_path / "b.db")))
    ok(run(home, "passphrase", "change", AFTERGLOW_NEW_PASSPHRASE="a brand new passphrase"))
    shutil.copy(tmp_path / "b.db", tmp_path / "c.db")
    ok(run(home, "restore", str(tmp_path / "c.db"), AFTERGLOW_PASSPHRASE="a brand new passphrase"))
    assert "the colours were warm and slow" in export(home, "a brand new passphrase")


def test_it_backs_up_what_is_committed_but_still_only_in_the_wal(home: Path, tmp_path: Path):
    from afterglow.vault import keyfile, store

    key = keyfile.load(home / "keys.json").open_with_passphrase(PASSPHRASE)
    writer = store.connect(home / "journal.db", key)
    try:
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("PRAGMA wal_autocheckpoint = 0")  # the commit below stays in the WAL while this is open
        writer.execute("UPDATE journal_entry SET text = 'held only in the wal' WHERE id = (SELECT min(id) FROM journal_entry)")
        assert (home / "journal.db-wal").stat().st_size > 0
        ok(run(home, "backup", "-o", str(tmp_path / "b.db")))
    finally:
        writer.close()
    assert not (tmp_path / "b.db-wal").exists()
    copy = store.connect(tmp_path / "b.db", key)
    try:
        assert copy.execute("SELECT count(*) FROM journal_entry WHERE text = 'held only in the wal'").fetchone() == (1,)
    finally:
        copy.close()


def test_it_refuses_to_back_up_a_journal_with_a_damaged_page_and_leaves_no_file(home: Path, tmp_path: Path):
    journal = home / "journal.db"
    data = bytearray(journal.read_bytes())
    data[(len(data) // 4096 - 1) * 4096 + 500] ^= 0x01  # the last page, not one a fresh open reads
    journal.write_bytes(bytes(data))
    result = run(home, "backup", "-o", str(tmp_path / "b.db"))
    assert result.returncode == 2 and "damaged" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]
