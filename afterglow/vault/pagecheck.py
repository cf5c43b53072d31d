"""SQLCipher's page HMACs, checked by Afterglow itself in one pass on both cores.

`PRAGMA cipher_integrity_check` reads the file a page at a time on one core and checks each page's
HMAC; it costs about 2.5 times a copy of the file (bench/README.md). The same check done here reads
the file in large blocks, half of it in each of two threads (hashlib lets go of the GIL while it
hashes a page), and says the same as SQLCipher's check on every damage tried
(`tests/vault/test_pagecheck.py`). `store.check` uses it for every backup and restore.

The layout, as Afterglow's journals are made (SQLCipher 4 defaults, with HMAC-SHA256 chosen in
`backend/base.py`; keys.json's "cipher" names it):

- pages of 4096 bytes; each ends with its reserve: a 16-byte IV, then the 32-byte HMAC;
- page 1 begins with the file's 16-byte salt in place of SQLite's header string;
- each page's HMAC is HMAC-SHA256 over its bytes from the start (page 1: after the salt) up to
  its HMAC, that is its ciphertext and its IV, followed by the page number as 4 bytes little-endian;
- the HMAC key is PBKDF2-HMAC-SHA512 of the raw data key, with the salt XOR 0x3a, 2 rounds, 32 bytes.

A page changed by one bit, moved to another place, zeroed, or written with another key fails its
HMAC, as does a last page cut short. A file cut at a page boundary passes every page it still has;
`store.check` refuses it by reading the schema (SQLite compares the page count in the header with
the file's length), and lets SQLCipher's own check decide if this layout ever stops being the file's.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PAGE = 4096
SALT = 16
HMAC_SIZE = 32
IV_SIZE = 16  # before the HMAC, and covered by it
COVERED_END = PAGE - HMAC_SIZE  # the HMAC covers each page up to here
HMAC_SALT_MASK = 0x3A
FAST_KDF_ROUNDS = 2
BLOCK_PAGES = 256  # 1 MiB read and checked at a time per thread
THREADS = 2


@dataclass
class Report:
    """What a pass found: the pages whose HMAC failed, and how many whole pages and stray bytes it saw."""

    pages: int = 0
    damaged: list[int] = field(default_factory=list)
    stray_bytes: int = 0  # a last page cut short

    @property
    def whole(self) -> bool:
        return not self.damaged and not self.stray_bytes


def hmac_key(key: bytes, salt: bytes) -> bytes:
    """The page-HMAC key SQLCipher derives from a raw 32-byte data key and the file's salt."""
    masked = bytes(b ^ HMAC_SALT_MASK for b in salt)
    return hashlib.pbkdf2_hmac("sha512", key, masked, FAST_KDF_ROUNDS, len(key))


class Mac:
    """HMAC-SHA256 with a fixed key, its two padded key blocks hashed once (RFC 2104): about a quarter less work
    a page than `hmac.digest`, which sets the key up again on every call."""

    def __init__(self, key: bytes) -> None:
        padded = key.ljust(64, b"\0")
        self.inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self.outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def digest(self, *parts: bytes | memoryview) -> bytes:
        inner = self.inner.copy()
        for part in parts:
            inner.update(part)
        outer = self.outer.copy()
        outer.update(inner.digest())
        return outer.digest()


def bad_pages(mac: Mac, first: int, block: memoryview | bytes) -> list[int]:
    """Page numbers in `block` (whole pages, the first numbered `first`) whose HMAC does not match.

    `Mac.digest` written out in the loop: a method call and a join less a page is about a tenth
    of the time."""
    view = memoryview(block)
    count = len(view) // PAGE
    numbers = [n.to_bytes(4, "little") for n in range(first, first + count)]
    inner_copy, outer_copy, compare = mac.inner.copy, mac.outer.copy, hmac.compare_digest
    bad = []
    for i in range(count):
        at = i * PAGE
        pgno = first + i
        inner = inner_copy()
        inner.update(view[at + SALT if pgno == 1 else at : at + COVERED_END])  # hashlib lets go of the GIL here
        inner.update(numbers[i])
        outer = outer_copy()
        outer.update(inner.digest())
        if not compare(outer.digest(), view[at + COVERED_END : at + PAGE]):
            bad.append(pgno)
    return bad


def _salt(fd: int) -> bytes:
    return os.pread(fd, SALT, 0)


def _split(pages: int, parts: int) -> list[tuple[int, int]]:
    """`parts` runs of whole blocks (first page index, end index) covering `pages` pages."""
    blocks = -(-pages // BLOCK_PAGES)
    per = -(-blocks // parts) * BLOCK_PAGES if blocks else 0
    return [(lo, min(lo + per, pages)) for lo in range(0, pages, per or 1)] if pages else []


def _run(parts: list[tuple[int, int]], work: Callable[[int, int], list[int]]) -> list[int]:
    """`work(lo, hi)` for each part, the first in this thread and the others beside it; the bad pages of all."""
    found: list[list[int]] = [[] for _ in parts]
    errors: list[BaseException] = []

    def one(n: int) -> None:
        try:
            found[n] = work(*parts[n])
        except BaseException as exc:  # handed back to the caller below
            errors.append(exc)

    helpers = [threading.Thread(target=one, args=(n,), name="afterglow-pagecheck") for n in range(1, len(parts))]
    for helper in helpers:
        helper.start()
    if parts:
        one(0)
    for helper in helpers:
        helper.join()
    if errors:
        raise errors[0]
    return sorted(p for part in found for p in part)


def check_file(path: Path, key: bytes, *, threads: int = THREADS) -> Report:
    """Check the HMAC of every page of `path` with the data key `key`, reading each page once."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        report = Report(pages=size // PAGE, stray_bytes=size % PAGE)
        if report.pages == 0:
            return report
        mac = Mac(hmac_key(key, _salt(fd)))

        def work(lo: int, hi: int) -> list[int]:
            bad: list[int] = []
            buffer = memoryview(bytearray(BLOCK_PAGES * PAGE))
            for at in range(lo, hi, BLOCK_PAGES):
                n = min(BLOCK_PAGES, hi - at)
                block = _read_into(fd, buffer[: n * PAGE], at * PAGE)
                bad += bad_pages(mac, at + 1, block)
                bad += range(at + 1 + len(block) // PAGE, at + 1 + n)  # cut while it was read: not whole
            return bad

        report.damaged = _run(_split(report.pages, threads), work)
        return report
    finally:
        os.close(fd)


def _read_into(fd: int, buffer: memoryview, offset: int) -> memoryview:
    """As much of `buffer` as the file fills from `offset` (less only at its end); one buffer per
    thread, so memory stays at a megabyte per thread whatever the file's size."""
    got = 0
    while got < len(buffer):
        n = os.preadv(fd, [buffer[got:]], offset + got)
        if n == 0:
            break
        got += n
    return buffer[:got]
