"""Afterglow's own page-HMAC check says what SQLCipher's `cipher_integrity_check` says, on whole and damaged files."""

from __future__ import annotations

import hmac
import os
import random
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from afterglow.vault import background, pagecheck, store
from afterglow.vault.errors import BadBackup

PAGE = pagecheck.PAGE
KEY = bytes(range(32))
OTHER_KEY = bytes(range(100, 132))


def _journal(path: Path, key: bytes, rows: int = 300, seed: int = 1) -> Path:
    """A small SQLCipher file made as the journal is (the backend's HMAC-SHA256 default): tables, an index, overflow pages."""
    rng = random.Random(seed)
    conn = store.connect(path, key)
    try:
        conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, text TEXT, blob BLOB)")
        conn.execute("CREATE INDEX entry_text ON entry (text)")
        for n in range(rows):
            size = 6000 if n % 50 == 0 else 300  # some rows spill onto overflow pages
            conn.execute("INSERT INTO entry (text, blob) VALUES (?, ?)", (f"words {rng.random()}", rng.randbytes(size)))
    finally:
        conn.close()
    return path


def _sqlcipher_says_whole(path: Path, key: bytes) -> bool:
    conn = store.connect(path, key)
    try:
        return conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
    except Exception:  # SQLCipher refusing to read the file is a finding too
        return False
    finally:
        conn.close()


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[bytes, bytes]:
    """A journal's bytes, and another journal's (another key) of the same shape."""
    folder = tmp_path_factory.mktemp("pagecheck")
    ours = _journal(folder / "ours.db", KEY).read_bytes()
    theirs = _journal(folder / "theirs.db", OTHER_KEY, seed=2).read_bytes()
    assert len(ours) // PAGE > 40
    return ours, theirs


def _flip_bit(data: bytearray, rng: random.Random, theirs: bytes) -> None:
    data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)


def _zero_page(data: bytearray, rng: random.Random, theirs: bytes) -> None:
    at = rng.randrange(len(data) // PAGE) * PAGE
    data[at : at + PAGE] = bytes(PAGE)


def _swap_pages(data: bytearray, rng: random.Random, theirs: bytes) -> None:
    a, b = (n * PAGE for n in rng.sample(range(1, len(data) // PAGE), 2))
    data[a : a + PAGE], data[b : b + PAGE] = data[b : b + PAGE], data[a : a + PAGE]


def _page_of_another_journal(data: bytearray, rng: random.Random, theirs: bytes) -> None:
    at = rng.randrange(1, min(len(data), len(theirs)) // PAGE) * PAGE
    data[at : at + PAGE] = theirs[at : at + PAGE]


def _cut_anywhere(data: bytearray, rng: random.Random, theirs: bytes) -> None:
    del data[rng.randrange(PAGE, len(data)) :]


def _random_bytes_appended(data: bytearray, rng: random.Random, theirs: bytes) -> None:
    data += rng.randbytes(rng.choice([PAGE, 100, 3 * PAGE]))


def _salt_changed(data: bytearray, rng: random.Random, theirs: bytes) -> None:
    data[rng.randrange(pagecheck.SALT)] ^= 0x80


def _last_page_flip(data: bytearray, rng: random.Random, theirs: bytes) -> None:
    data[len(data) - 1 - rng.randrange(PAGE)] ^= 0x10


def _first_page_flip(data: bytearray, rng: random.Random, theirs: bytes) -> None:
    data[rng.randrange(pagecheck.SALT, PAGE)] ^= 0x04


Damage = Callable[[bytearray, random.Random, bytes], None]
DAMAGES: list[Damage] = [
    _flip_bit,
    _zero_page,
    _swap_pages,
    _page_of_another_journal,
    _cut_anywhere,
    _random_bytes_appended,
    _salt_changed,
    _last_page_flip,
    _first_page_flip,
]


def test_it_finds_every_page_of_a_whole_journal_whole_as_sqlcipher_does(made, tmp_path: Path):
    path = tmp_path / "whole.db"
    path.write_bytes(made[0])
    report = pagecheck.check_file(path, KEY)
    assert report.whole and report.pages == len(made[0]) // PAGE
    assert _sqlcipher_says_whole(path, KEY)
    assert not pagecheck.check_file(path, OTHER_KEY).whole  # another journal's key: every page fails
    assert not _sqlcipher_says_whole(path, OTHER_KEY)


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__.strip("_"))
def test_it_agrees_with_cipher_integrity_check_on_random_damage(made, tmp_path: Path, damage: Damage):
    rng = random.Random(damage.__name__)
    path = tmp_path / "damaged.db"
    for trial in range(12):
        data = bytearray(made[0])
        damage(data, rng, made[1])
        path.write_bytes(data)
        ours = pagecheck.check_file(path, KEY).whole
        assert ours == _sqlcipher_says_whole(path, KEY), f"trial {trial}"
        cut_at_a_page = damage is _cut_anywhere and len(data) % PAGE == 0
        assert ours is cut_at_a_page  # every damage but a clean cut is caught; store.check catches that one


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__.strip("_"))
def test_store_check_refuses_every_damage(made, tmp_path: Path, damage: Damage):
    rng = random.Random(f"store {damage.__name__}")
    path = tmp_path / "damaged.db"
    for _ in range(4):
        data = bytearray(made[0])
        damage(data, rng, made[1])
        path.write_bytes(data)
        with pytest.raises(BadBackup):
            store.check(path, KEY)


def test_store_check_refuses_a_file_cut_at_a_page_boundary(made, tmp_path: Path):
    path = tmp_path / "cut.db"
    path.write_bytes(made[0][: (len(made[0]) // PAGE // 2) * PAGE])
    assert pagecheck.check_file(path, KEY).whole  # every page it still has is sound
    with pytest.raises(BadBackup, match="damaged or incomplete"):
        store.check(path, KEY)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_it_names_the_damaged_pages_whatever_the_number_of_threads(made, tmp_path: Path, threads: int):
    data = bytearray(made[0])
    pages = len(data) // PAGE
    for pgno in (1, 2, pages // 2, pages):
        data[(pgno - 1) * PAGE + 200] ^= 1
    path = tmp_path / "damaged.db"
    path.write_bytes(data)
    assert pagecheck.check_file(path, KEY, threads=threads).damaged == [1, 2, pages // 2, pages]


def test_it_reads_in_blocks_and_still_checks_every_page(made, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(pagecheck, "BLOCK_PAGES", 7)  # several blocks per thread, and a short last one
    data = bytearray(made[0])
    pages = len(data) // PAGE
    for pgno in range(1, pages + 1, 5):
        data[(pgno - 1) * PAGE + 3000] ^= 0x40
    path = tmp_path / "damaged.db"
    path.write_bytes(data)
    assert pagecheck.check_file(path, KEY).damaged == list(range(1, pages + 1, 5))


def test_pages_a_file_lost_while_it_was_read_are_not_called_whole(made, tmp_path: Path, monkeypatch):
    path = tmp_path / "shrinking.db"
    path.write_bytes(made[0])
    real = pagecheck._read_into

    def cut_after_the_first_block(fd: int, buffer: memoryview, offset: int) -> memoryview:
        got = real(fd, buffer, offset)
        return got if offset == 0 else got[: PAGE * 2]

    monkeypatch.setattr(pagecheck, "BLOCK_PAGES", 10)
    monkeypatch.setattr(pagecheck, "_read_into", cut_after_the_first_block)
    report = pagecheck.check_file(path, KEY, threads=1)
    assert not report.whole and report.damaged[0] == 13


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="nice values are per thread on Linux")
def test_its_helper_threads_keep_the_backups_lower_priority():
    def priority() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = priority()
    seen = background.gently(lambda: pagecheck._run([(0, 1), (1, 2)], lambda lo, hi: [priority()]))
    assert seen == [min(before + background.BACKUP_NICENESS, 19)] * 2


def test_store_check_lets_sqlcipher_decide_when_the_file_is_laid_out_otherwise(made, tmp_path: Path, monkeypatch):
    """If SQLCipher read page 1 for the schema but pagecheck finds it damaged, pagecheck's layout is not this
    file's (another SQLCipher version): `cipher_integrity_check` decides, so a whole file is not refused."""
    monkeypatch.setattr(pagecheck, "HMAC_SALT_MASK", 0x3B)  # a layout other than the file's
    path = tmp_path / "journal.db"
    path.write_bytes(made[0])
    assert 1 in pagecheck.check_file(path, KEY).damaged
    store.check(path, KEY)
    data = bytearray(made[0])
    data[len(data) // 2] ^= 1
    path.write_bytes(data)
    with pytest.raises(BadBackup, match="integrity check failed"):
        store.check(path, KEY)


def test_its_hmac_is_the_standard_one():
    mac = pagecheck.Mac(KEY)
    assert mac.digest(b"page bytes", b"\x01\x00\x00\x00") == hmac.digest(KEY, b"page bytes\x01\x00\x00\x00", "sha256")


def test_it_holds_a_block_per_thread_not_the_file(made, tmp_path: Path, monkeypatch):
    import tracemalloc

    monkeypatch.setattr(pagecheck, "BLOCK_PAGES", 4)
    path = tmp_path / "journal.db"
    path.write_bytes(made[0])
    tracemalloc.start()
    try:
        assert pagecheck.check_file(path, KEY).whole
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 4 * PAGE + 64 * 1024 < len(made[0])
