"""The bytes of a private entry's recording on a clinic's server: sealed under a key of its own.

A recording is sealed once, with a random 256-bit key made for it (AES-256-GCM), in pieces of
64 KiB: each piece is its own ciphertext with its own tag, its nonce the piece's number (and a
mark on the last one), so a piece cannot be moved, dropped or cut off unnoticed. Pieces let the
player seek: a Range request opens the few pieces it covers, not a 200 MB recording. A fresh key
for each sealing makes numbered nonces safe (one key never seals two recordings).

That key is then kept two ways (`privacy.py`):
* sealed to the patient (`journal.private.seal_blob`), for as long as the recording exists;
* while a transcription waits or runs, also wrapped under the *transcriber's key*, derived
  from the server's SECRET_KEY (settings and environment, never the database), so the worker
  can read the recording without the patient's password. That copy goes when the job ends.

Framework-free but for the one setting the transcriber's key comes from.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from afterglow.vault import crypto

PIECE = 64 * 1024
TAG = 16
STRIDE = PIECE + TAG  # a sealed piece: the piece's bytes and its tag
_WORKER_INFO = b"afterglow transcriber: keys of private recordings while they are transcribed"


class Unreadable(ValueError):
    """Not this key, or the sealed bytes were changed, cut or moved."""

    def __init__(self, where: object = "") -> None:
        super().__init__("The sealed recording could not be opened: it no longer matches its key (changed or cut).")
        self.where = where


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def pieces(size: int) -> int:
    """How many pieces a recording of `size` bytes is sealed in (an empty one is one empty piece)."""
    return max(1, -(-size // PIECE))


def sealed_size(size: int) -> int:
    return size + pieces(size) * TAG


def seal_audio(key: bytes, data: bytes, context: str) -> bytes:
    aead, count, aad = AESGCM(key), pieces(len(data)), context.encode()
    view = memoryview(data)
    return b"".join(aead.encrypt(_nonce(i, i == count - 1), view[i * PIECE : (i + 1) * PIECE], aad) for i in range(count))


def open_pieces(key: bytes, sealed: bytes | memoryview, first: int, size: int, context: str) -> bytes:
    """Open consecutive sealed pieces, starting with piece number `first`, of a recording of `size` bytes."""
    aead, count, aad = AESGCM(key), pieces(size), context.encode()
    view = memoryview(sealed)
    out = []
    for n in range(-(-len(view) // STRIDE)):
        index = first + n
        try:
            out.append(aead.decrypt(_nonce(index, index == count - 1), view[n * STRIDE : (n + 1) * STRIDE], aad))
        except InvalidTag:
            raise Unreadable(index) from None
    return b"".join(out)


def open_audio(key: bytes, sealed: bytes | memoryview, size: int, context: str) -> bytes:
    if len(sealed) != sealed_size(size):
        raise Unreadable("size")
    return open_pieces(key, sealed, 0, size, context)


def span(start: int, end: int) -> tuple[int, int, int]:
    """For the plain bytes start..end (inclusive): (first piece, where its sealed bytes start, how many sealed bytes)."""
    first, last = start // PIECE, end // PIECE
    return first, first * STRIDE, (last - first + 1) * STRIDE


def seal_text(key: bytes, text: str, context: str) -> bytes:
    return crypto.seal(key, text.encode("utf-8"), context)


def open_text(key: bytes, sealed: bytes | memoryview, context: str) -> str:
    plain = crypto.open_sealed(key, sealed, context)
    if plain is None:
        raise Unreadable("text")
    return plain.decode("utf-8")


# ---- the transcriber's copy --------------------------------------------------------------------


@dataclass(frozen=True)
class Handed:
    """What the transcriber is given while a private recording's job waits or runs."""

    key: bytes  # the recording's key
    title: str  # the entry's title, so the finished transcript can be sealed in with it
    has_text: bool  # words were written in the entry already: they are the person's, never overwritten
    entry: str  # digest of the entry's sealed words when this was handed over (any later save changes it)


def transcriber_key(secret_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_WORKER_INFO).derive(secret_key.encode("utf-8"))


def _server_key() -> bytes:
    from django.conf import settings

    return transcriber_key(settings.SECRET_KEY)


def entry_digest(sealed_words: str) -> str:
    return hashlib.sha256(sealed_words.encode("ascii", "replace")).hexdigest()


def hand(handed: Handed, context: str) -> bytes:
    body = {"key": base64.b64encode(handed.key).decode("ascii"), "title": handed.title,
            "has_text": handed.has_text, "entry": handed.entry}  # fmt: skip
    return crypto.seal(_server_key(), json.dumps(body).encode("utf-8"), context)


def taken(blob: bytes | memoryview, context: str) -> Handed | None:
    """The transcriber's copy, or None when there is none (or the server's key changed since)."""
    if len(blob) < 12 + TAG:
        return None
    plain = crypto.open_sealed(_server_key(), blob, context)
    if plain is None:
        return None
    body = json.loads(plain)
    return Handed(base64.b64decode(body["key"]), body["title"], bool(body["has_text"]), body["entry"])
