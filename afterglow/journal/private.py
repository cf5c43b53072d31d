"""Private entries on a clinic's server: their words are stored as ciphertext only the patient opens.

Local mode needs none of this (the whole journal is one SQLCipher file), so every function here
does nothing there. In a clinic (PostgreSQL, many patients, a database administrator, backups):

* Each patient has an X25519 key pair (`PrivateKeyring`). The public half is stored as it is;
  the private half only wrapped (AES-256-GCM, `vault.crypto.wrap`) twice: under a key derived
  from the patient's password (Argon2id, its own salt) and under a recovery key shown once.
* A private entry's title and text, and each of its revisions, are sealed to the public key:
  a fresh X25519 key per seal, HKDF-SHA256 of the shared secret, AES-256-GCM with the entry's
  uid and owner (a revision: its entry's id) as associated data. Sealing needs no secret, so a
  background job, the CLI or an autosave whose sign-in cookie went missing still stores every
  word, never the plaintext; opening needs the private key.
* The private key is in memory only for the patient's own request (`opening`): the clinic's
  middleware unwraps it from the session with a key held in the patient's browser cookie.
  Rows read without it (a clinician, a job) stay sealed: their title and text read as empty
  and `locked` is true.

The columns `title` and `text` of a sealed row are empty, so the full-text index (filled from
them by a trigger) holds nothing of a private entry's words. docs/privacy.md says what this
protects against, and what it costs: a forgotten password without the recovery key loses them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from afterglow import modes
from afterglow.lib.errors import UserError
from afterglow.vault import crypto

# An entry or a revision (journal.models imports this module, so it is not imported here).
Entry = Any
EntryRevision = Any

# The first field of every sealed value says how it was sealed:
#   "1:" + base64(ephemeral public key, nonce, ciphertext): sealed to the public key, by anyone;
#   "2:" + base64(nonce, ciphertext): sealed by the patient's own request, under a key derived
#        from their private key (AES-GCM only, no key exchange: opening is ~100 times quicker).
TO_PUBLIC, BY_OWNER = "1", "2"
_INFO = b"afterglow private entry"
_OWNER_INFO = b"afterglow private entries, sealed by their owner"


class Locked(UserError):
    """A private entry's words are needed but cannot be opened here (no key, or the wrong one)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "This private entry is locked: only your password, or your recovery key, opens it. "
            "Please sign in again; nothing was changed.",
            409,
        )


def applies() -> bool:
    return modes.current().clinic


# ---- sealing (framework-free) ------------------------------------------------------------------


def new_key_pair() -> tuple[bytes, bytes]:
    """(private, public), 32 bytes each."""
    secret = X25519PrivateKey.generate()
    return secret.private_bytes_raw(), secret.public_key().public_bytes_raw()


def public_of(secret: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(secret).public_key().public_bytes_raw()


def _aead_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_INFO).derive(shared)


def owner_key(secret: bytes) -> bytes:
    """The symmetric key a patient's own requests seal with (derived from the private key, never stored)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_OWNER_INFO).derive(secret)


def _sealed_raw(public: bytes, plaintext: bytes, context: str) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    key = _aead_key(ephemeral.exchange(X25519PublicKey.from_public_bytes(public)), ephemeral_public, public)
    return ephemeral_public + crypto.seal(key, plaintext, context)


def _opened_raw(secret: bytes, version: str, raw: bytes, context: str, key: bytes | None) -> bytes | None:
    if version == BY_OWNER:
        return crypto.open_sealed(key or owner_key(secret), raw, context)
    if version == TO_PUBLIC:
        ephemeral_public = raw[:32]
        private = X25519PrivateKey.from_private_bytes(secret)
        recipient = private.public_key().public_bytes_raw()
        shared = _aead_key(private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public)), ephemeral_public, recipient)
        return crypto.open_sealed(shared, raw[32:], context)
    return None


def seal(public: bytes, plaintext: bytes, context: str) -> str:
    return f"{TO_PUBLIC}:{base64.b64encode(_sealed_raw(public, plaintext, context)).decode('ascii')}"


def seal_by_owner(key: bytes, plaintext: bytes, context: str) -> str:
    return f"{BY_OWNER}:{base64.b64encode(crypto.seal(key, plaintext, context)).decode('ascii')}"


def unseal(secret: bytes, sealed: str, context: str, key: bytes | None = None) -> bytes | None:
    """The plaintext, or None when this is not the key (or the row was moved or changed).

    `key` is `owner_key(secret)` when the caller has it already.
    """
    version, _, body = sealed.partition(":")
    return _opened_raw(secret, version, base64.b64decode(body), context, key)


def unseal_blob(secret: bytes, sealed: bytes | memoryview, context: str, key: bytes | None = None) -> bytes | None:
    """`unseal` for the binary form `seal_blob` writes (pictures, recordings: no base64)."""
    return _opened_raw(secret, bytes(sealed[:1]).decode("ascii", "replace"), bytes(sealed[1:]), context, key)


# ---- the key of this request -------------------------------------------------------------------


@dataclass(frozen=True)
class Opener:
    owner_id: int
    secret: bytes
    key: bytes  # owner_key(secret)

    def open(self, sealed: str, context: str) -> bytes | None:
        return unseal(self.secret, sealed, context, self.key)

    def seal(self, plaintext: bytes, context: str) -> str:
        return seal_by_owner(self.key, plaintext, context)

    def open_blob(self, sealed: bytes | memoryview, context: str) -> bytes | None:
        return unseal_blob(self.secret, sealed, context, self.key)

    def seal_blob(self, plaintext: bytes, context: str) -> bytes:
        return BY_OWNER.encode("ascii") + crypto.seal(self.key, plaintext, context)


_opener: ContextVar[Opener | None] = ContextVar("afterglow_private_opener", default=None)


@contextmanager
def opening(owner_id: int, secret: bytes) -> Iterator[None]:
    """Within this block, `owner_id`'s private rows read as plaintext (for that patient's own request)."""
    token = _opener.set(Opener(owner_id, secret, owner_key(secret)))
    try:
        yield
    finally:
        _opener.reset(token)


def _opener_for(owner_id: int | None) -> Opener | None:
    opener = _opener.get()
    if opener is None or (owner_id is not None and opener.owner_id != owner_id):
        return None
    return opener


# ---- entries and revisions ---------------------------------------------------------------------

_WORDS = ("title", "text", "sealed")


def _entry_context(entry: Entry) -> str:
    return _context_of(entry.uid, entry.owner_id)


def _context_of(uid: Any, owner_id: int) -> str:
    return f"afterglow entry {uid} of {owner_id}"


def _revision_context(revision: EntryRevision) -> str:
    return f"afterglow revision of entry {revision.entry_id}"


def opened_entry(entry: Entry) -> None:
    """Called as a row is read: fill in a sealed entry's words when this request may open them."""
    entry._private_stored = entry.private
    entry._private_locked = False
    if not entry.__dict__.get("sealed"):
        return
    opener = _opener_for(entry.owner_id)
    plain = opener.open(entry.sealed, _entry_context(entry)) if opener else None
    if plain is None:
        entry._private_locked = True
        return
    words = json.loads(plain)
    entry.title, entry.text = words["title"], words["text"]


def opened_revision(revision: EntryRevision) -> None:
    revision._private_locked = False
    if not revision.__dict__.get("sealed"):
        return
    opener = _opener_for(None)
    plain = opener.open(revision.sealed, _revision_context(revision)) if opener else None
    if plain is None:
        revision._private_locked = True
        return
    revision.text = plain.decode("utf-8")


def _no_public_key(owner_id: int) -> bytes | None:
    return None


# The models register how to find an owner's public key (None when they have none yet).
public_key_of: Callable[[int], bytes | None] = _no_public_key


def _keyring_public(owner_id: int) -> bytes:
    public = public_key_of(owner_id)
    if public is None:
        # No key pair yet (an account from before private entries were sealed, or made outside
        # the sign-in pages): refusing keeps the words in the browser's draft, never in the clear.
        raise Locked("Please sign in again before writing a private entry, so it can be stored sealed.")
    return public


def _seal_for(owner_id: int, plaintext: bytes, context: str) -> str:
    """Sealed by the owner's own request when it holds their key (quick to open), else to their public key."""
    opener = _opener_for(owner_id)
    return opener.seal(plaintext, context) if opener else seal(_keyring_public(owner_id), plaintext, context)


def seal_blob(owner_id: int, plaintext: bytes, context: str) -> bytes:
    """Bytes (a picture, a recording) sealed for `owner_id`, in binary form: a version byte, then the
    sealed body as `seal` or `seal_by_owner` makes it. By the owner's own request when it holds their
    key (quick to open), else to their public key (a job, an import): no secret is needed to seal.
    Raises Locked when the owner has no key pair yet.
    """
    opener = _opener_for(owner_id)
    if opener:
        return opener.seal_blob(plaintext, context)
    return TO_PUBLIC.encode("ascii") + _sealed_raw(_keyring_public(owner_id), plaintext, context)


def open_blob(owner_id: int, sealed: bytes | memoryview, context: str) -> bytes | None:
    """Bytes sealed by `seal_blob`, when this request may open them (the owner's own); else None."""
    opener = _opener_for(owner_id)
    return opener.open_blob(sealed, context) if opener else None


def widened(update_fields: Any) -> Any:
    """A partial save that touches an entry's words, or its private mark, writes all three word columns."""
    if update_fields is None:
        return None
    fields = set(update_fields)
    if fields & {"title", "text", "private", "sealed"}:
        fields |= set(_WORDS)
    return fields


@contextmanager
def storing_entry(entry: Entry) -> Iterator[None]:
    """While `entry` is written: a private one goes in sealed, its columns empty; the object keeps its words."""
    if not applies():
        yield
        return
    title, text = entry.title, entry.text
    locked = getattr(entry, "_private_locked", False)
    if locked and (title or text or not entry.private):
        raise Locked()
    if entry.private and not locked:
        has_words = bool(title or text)
        words = json.dumps({"title": title, "text": text}).encode("utf-8")
        entry.sealed = _seal_for(entry.owner_id, words, _entry_context(entry)) if has_words else ""
        entry.title, entry.text = "", ""
    elif not entry.private:
        entry.sealed = ""
    try:
        yield
    finally:
        entry.title, entry.text = title, text


def after_entry_saved(entry: Entry) -> None:
    """Marking an entry private seals its earlier versions too; un-marking opens them."""
    was = getattr(entry, "_private_stored", None)
    entry._private_stored = entry.private
    if not applies() or was is None or was == entry.private:
        return
    revisions = entry.revisions.all() if entry.private else entry.revisions.exclude(sealed="")
    for revision in revisions:
        revision.entry = entry
        revision.save(update_fields=["text", "sealed"])


@contextmanager
def storing_revision(revision: EntryRevision) -> Iterator[None]:
    if not applies():
        yield
        return
    text = revision.text
    locked = getattr(revision, "_private_locked", False)
    private = revision.entry.private
    if locked and (text or not private):
        raise Locked()
    if private and not locked:
        owner_id = revision.entry.owner_id
        revision.sealed = _seal_for(owner_id, text.encode("utf-8"), _revision_context(revision)) if text else ""
        revision.text = ""
    elif not private:
        revision.sealed = ""
    try:
        yield
    finally:
        revision.text = text


def open_revision_text(entry_id: int, text: str, sealed: str) -> str:
    """A revision's text from its columns (for code that reads values, not rows); '' when it cannot be opened."""
    if not sealed:
        return text
    opener = _opener_for(None)
    plain = opener.open(sealed, f"afterglow revision of entry {entry_id}") if opener else None
    return plain.decode("utf-8") if plain is not None else ""


def stored_form(row: Any) -> Any:
    """The row as the database holds it (a private entry's words sealed), for code that copies rows."""
    if not applies() or not row.__dict__.get("sealed"):
        return row
    if hasattr(row, "title"):
        row.title = ""
    row.text = ""
    return row


def open_words(uid: Any, owner_id: int, title: str, text: str, sealed: str) -> tuple[str, str]:
    """An entry's (title, text) from its columns, for code that reads values, not rows; empty when it cannot be opened."""
    if not sealed:
        return title, text
    opener = _opener_for(owner_id)
    plain = opener.open(sealed, _context_of(uid, owner_id)) if opener else None
    if plain is None:
        return "", ""
    words = json.loads(plain)
    return words["title"], words["text"]
