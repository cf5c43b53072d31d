"""After a purge, a deleted entry's words are in no page of the encrypted journal file.

The file is encrypted, so searching its bytes proves nothing. This test decrypts every
page itself (SQLCipher 4: AES-256-CBC per page, the IV in the page's reserved tail,
here with the raw data key the vault uses) and searches the plaintext pages, free ones
included. It first checks that the scanner does find the words while they wait in the
Trash, so a scanner that decrypts nothing cannot pass.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.vault.conftest import python

PAGE = 4096
RESERVE = 48  # 16-byte IV + 32-byte HMAC-SHA256 (see the vault backend), a multiple of the AES block
SALT = 16

SETUP = (
    "import django; django.setup();"
    "from afterglow.vault.session import unlock_for_cli; unlock_for_cli();"
    "from afterglow.vault import keyring;"
    "from afterglow.access import local_patient;"
)


def decrypt_page(key: bytes, page: bytes, number: int) -> bytes:
    start = SALT if number == 1 else 0
    iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
    body = page[start : PAGE - RESERVE]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def plaintext_pages(home: Path, key: bytes) -> list[bytes]:
    """Every page of journal.db, and every page image still in its write-ahead log, decrypted."""
    data = (home / "journal.db").read_bytes()
    pages = [decrypt_page(key, data[i : i + PAGE], i // PAGE + 1) for i in range(0, len(data), PAGE)]
    wal = home / "journal.db-wal"
    if wal.exists() and wal.stat().st_size > 32:
        log = wal.read_bytes()
        for offset in range(32, len(log) - 24 - PAGE + 1, 24 + PAGE):
            number = int.from_bytes(log[offset : offset + 4], "big")
            pages.append(decrypt_page(key, log[offset + 24 : offset + 24 + PAGE], number))
    return pages


def test_a_purged_entry_leaves_its_words_in_no_page_of_the_file(home: Path):
    canary = f"canary{uuid.uuid4().hex}"
    out = python(
        home,
        SETUP + "from afterglow.journal.entries import create_entry; from afterglow.trash import bin;"
        f"e = create_entry(local_patient(), 'a thought to let go of {canary}');"
        "bin.put(e); print(keyring.current_key().hex())",
    )
    key = bytes.fromhex(out.strip())
    pages = plaintext_pages(home, key)
    assert any(b"SQLite format" in p or b"CREATE TABLE" in p for p in pages)  # the scanner decrypts
    assert any(canary.encode() in p for p in pages)  # waiting in the Trash, so still in the file

    python(home, SETUP + "from afterglow.trash import bin; print(bin.purge(everything=True).items)")
    pages = plaintext_pages(home, key)
    assert any(b"the colours were warm and slow" in p for p in pages)  # live text is still readable
    assert [n for n, p in enumerate(pages, start=1) if canary.encode() in p] == []
    # and the search index holds no token of it
    assert [n for n, p in enumerate(pages, start=1) if canary[6:20].encode() in p] == []
