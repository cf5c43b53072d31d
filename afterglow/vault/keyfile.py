"""keys.json: the KDF parameters, the salt and the data key wrapped two ways.

Format (version 1), no secret in clear:
    {"format": "afterglow-keys", "version": 1, "cipher": "sqlcipher4-raw-key-hmac-sha256",
     "kdf": {"name": "argon2id", "time_cost", "memory_kib", "parallelism", "salt"},
     "passphrase": {"nonce", "ciphertext"},          AES-256-GCM, key = Argon2id(NFC passphrase)
     "recovery": {"salt", "nonce", "ciphertext", "confirmed"}   AES-256-GCM, key = HKDF(recovery key)
     "previous": {"passphrase": {...}, "recovery": {...}}       only while a re-key is under way}
The data key is the raw SQLCipher key of journal.db and of every backup made with it (SQLCipher 4
defaults, but HMAC-SHA256 page authentication: see afterglow/vault/backend/base.py).
"confirmed" is false from the moment a recovery key is shown until the person says they kept it
(missing in files written before it existed: those count as confirmed). "previous" holds the
journal's old data key, under the same two secrets, between writing a re-key's keys.json and
finishing `PRAGMA rekey` (see afterglow/vault/rekey.py); older files have neither and still open.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from afterglow.lib.files import FileRefused, read_bounded
from afterglow.vault import crypto, keyshape, store
from afterglow.vault.errors import KeysMissing, WrongPassphrase, WrongRecoveryKey

FORMAT = "afterglow-keys"
CIPHER = "sqlcipher4-raw-key-hmac-sha256"
VERSION = 1
KEYS_MAX_BYTES = 64 * 1024
PASSPHRASE_PURPOSE = "afterglow keys.json v1: data key under passphrase"
RECOVERY_PURPOSE = "afterglow keys.json v1: data key under recovery key"
PREVIOUS_PASSPHRASE_PURPOSE = "afterglow keys.json v1: previous data key under passphrase"
PREVIOUS_RECOVERY_PURPOSE = "afterglow keys.json v1: previous data key under recovery key"


@dataclass(frozen=True)
class PassphraseLock:
    """A key-encryption key derived once from a passphrase, to wrap one or many data keys."""

    params: crypto.KdfParams
    salt: bytes
    kek: bytes

    @classmethod
    def new(cls, passphrase: str, raising: crypto.KdfParams | None = None) -> PassphraseLock:
        """Today's cost, or for a journal that had `raising` before, never less than that."""
        params = crypto.raised(raising, current_params()) if raising else current_params()
        salt = os.urandom(16)
        return cls(params, salt, crypto.derive(crypto.normalise(passphrase), salt, params))


@dataclass(frozen=True)
class RecoveryLock:
    salt: bytes
    kek: bytes

    @classmethod
    def new(cls, recovery: bytes) -> RecoveryLock:
        salt = os.urandom(16)
        return cls(salt, crypto.recovery_kek(recovery, salt))


@dataclass(frozen=True)
class Opened:
    data_key: bytes
    previous_key: bytes | None  # the old data key while a re-key is under way
    stale: bool = False  # opened, but keys.json should be re-wrapped (weak KDF cost, or a non-NFC passphrase)


class Keks:
    """The passphrase's keys for each (salt, cost) met, each derived once.

    NFC first (what every key file is written with now); then, for key files written before,
    the passphrase as typed and its NFD form, so a journal made on a keyboard that sends
    e + accent still opens when é arrives as one code point. Only a passphrase with such
    characters has more than one form.
    """

    def __init__(self, passphrase: str) -> None:
        nfc = crypto.normalise(passphrase)
        self.forms = list(dict.fromkeys([nfc, passphrase, unicodedata.normalize("NFD", passphrase)]))
        self._cache: dict[tuple[bytes, crypto.KdfParams, str], bytes] = {}

    def get(self, salt: bytes, params: crypto.KdfParams, form: str) -> bytes:
        if (salt, params, form) not in self._cache:
            self._cache[salt, params, form] = crypto.derive(form, salt, params)
        return self._cache[salt, params, form]


@dataclass(frozen=True)
class KeyFile:
    params: crypto.KdfParams
    salt: bytes
    by_passphrase: dict[str, str]
    recovery_salt: bytes
    by_recovery: dict[str, str]
    created_at: str
    recovery_confirmed: bool = True
    previous: dict[str, dict[str, str]] | None = field(default=None)

    def opened(self, passphrase: str) -> Opened:
        return self.opened_by(Keks(passphrase))

    def opened_by(self, keks: Keks) -> Opened:
        for form in keks.forms:
            kek = keks.get(self.salt, self.params, form)
            key = crypto.unwrap(kek, self.by_passphrase, PASSPHRASE_PURPOSE)
            if key is not None:
                previous = self.previous and crypto.unwrap(kek, self.previous["passphrase"], PREVIOUS_PASSPHRASE_PURPOSE)
                stale = form != keks.forms[0] or self.params.weaker_than(current_params())
                return Opened(key, previous or None, stale)
        raise WrongPassphrase()

    @property
    def journal_id(self) -> str:
        """Which journal this is, without opening it: made from the recovery salt, set once at
        init and kept through passphrase changes and recovery, so every backup's keys carry it."""
        return hashlib.sha256(b"afterglow journal id" + self.recovery_salt).hexdigest()[:12]

    def open_with_passphrase(self, passphrase: str) -> bytes:
        return self.opened(passphrase).data_key

    def opened_with_recovery(self, recovery_text: str) -> Opened:
        raw = crypto.parse_recovery_key(recovery_text)
        kek = raw and crypto.recovery_kek(raw, self.recovery_salt)
        key = kek and crypto.unwrap(kek, self.by_recovery, RECOVERY_PURPOSE)
        if not kek or not key:
            raise WrongRecoveryKey()
        previous = self.previous and crypto.unwrap(kek, self.previous["recovery"], PREVIOUS_RECOVERY_PURPOSE)
        return Opened(key, previous or None)

    def open_with_recovery(self, recovery_text: str) -> bytes:
        return self.opened_with_recovery(recovery_text).data_key

    def with_passphrase(self, data_key: bytes, passphrase: str) -> KeyFile:
        """Re-wrap the same data key under a new passphrase (fresh salt, today's fixed cost or more)."""
        return self.locked_by(PassphraseLock.new(passphrase, self.params), data_key)

    def locked_by(self, lock: PassphraseLock, data_key: bytes, previous_key: bytes | None = None) -> KeyFile:
        wrapped = crypto.wrap(lock.kek, data_key, PASSPHRASE_PURPOSE)
        keys = replace(self, params=lock.params, salt=lock.salt, by_passphrase=wrapped)
        if previous_key is None:
            return replace(keys, previous=None)
        return replace(keys, previous={"passphrase": crypto.wrap(lock.kek, previous_key, PREVIOUS_PASSPHRASE_PURPOSE)})

    def with_recovery(self, lock: RecoveryLock, data_key: bytes, previous_key: bytes | None = None) -> KeyFile:
        """The data key (and a re-key's old one) under a new recovery key, not yet confirmed."""
        wrapped = crypto.wrap(lock.kek, data_key, RECOVERY_PURPOSE)
        previous = self.previous
        if previous_key is not None and previous is not None:
            previous = {**previous, "recovery": crypto.wrap(lock.kek, previous_key, PREVIOUS_RECOVERY_PURPOSE)}
        return replace(self, recovery_salt=lock.salt, by_recovery=wrapped, recovery_confirmed=False, previous=previous)

    def to_json(self) -> bytes:
        doc: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "cipher": CIPHER,
            "created_at": self.created_at,
            "kdf": {**self.params.as_dict(), "salt": crypto.b64(self.salt)},
            "passphrase": self.by_passphrase,
            "recovery": {"salt": crypto.b64(self.recovery_salt), **self.by_recovery, "confirmed": self.recovery_confirmed},
        }
        if self.previous is not None:
            doc["previous"] = self.previous
        return (json.dumps(doc, indent=2) + "\n").encode()

    @classmethod
    def from_json(cls, data: bytes) -> KeyFile:
        try:
            doc = json.loads(data)
        except (ValueError, RecursionError):  # not JSON (or not UTF-8); a deep nest is not JSON we wrote either
            raise keyshape.Damaged("it is not readable JSON") from None
        keyshape.check(doc, FORMAT, VERSION)
        kdf = doc["kdf"]
        params = crypto.KdfParams(int(kdf["time_cost"]), int(kdf["memory_kib"]), int(kdf["parallelism"]))
        recovery = doc["recovery"]
        previous = doc.get("previous")
        return cls(
            params=params,
            salt=crypto.unb64(kdf["salt"]),
            by_passphrase={"nonce": doc["passphrase"]["nonce"], "ciphertext": doc["passphrase"]["ciphertext"]},
            recovery_salt=crypto.unb64(recovery["salt"]),
            by_recovery={"nonce": recovery["nonce"], "ciphertext": recovery["ciphertext"]},
            created_at=str(doc.get("created_at", "")),
            recovery_confirmed=recovery.get("confirmed", True) is not False,
            previous={name: dict(previous[name]) for name in ("passphrase", "recovery")} if previous else None,
        )


def current_params() -> crypto.KdfParams:
    # The product never reads a switch for this: only the test settings module sets it.
    return crypto.FAST_PARAMS if getattr(settings, "VAULT_KDF_FAST_FOR_TESTS", False) else crypto.PARAMS


def fresh(passphrase: str, data_key: bytes, recovery: bytes, previous_key: bytes | None = None) -> KeyFile:
    """A key file for `data_key` under a passphrase and a recovery key (the latter not confirmed yet)."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    blank = KeyFile(crypto.FAST_PARAMS, b"", {}, b"", {}, stamp)
    locked = blank.locked_by(PassphraseLock.new(passphrase), data_key, previous_key)
    return locked.with_recovery(RecoveryLock.new(recovery), data_key, previous_key)


def create(passphrase: str) -> tuple[KeyFile, bytes, str]:
    """A new key file, the data key it wraps, and the recovery key to show once."""
    data_key = os.urandom(crypto.KEY_BYTES)
    recovery = crypto.new_recovery_key()
    return fresh(passphrase, data_key, recovery), data_key, crypto.format_recovery_key(recovery)


def exists(path: Path | None = None) -> bool:
    return (path or store.keys_path()).is_file()


def load(path: Path | None = None) -> KeyFile:
    path = path or store.keys_path()
    try:
        # A keys file is about 1 kB; a device or a huge file in its place is damage, not keys.
        data = read_bounded(path, KEYS_MAX_BYTES, lambda _size: "far too large for a keys file", what="keys file", pipes=False)
    except FileRefused as exc:
        if not path.exists() and not path.is_symlink():
            raise KeysMissing(_missing_message()) from None
        why = f"Afterglow cannot read {exc}; the journal cannot be opened."
        raise KeysMissing(f"{why} Restore keys.json from a backup.") from None
    try:
        return KeyFile.from_json(data)
    except keyshape.Damaged as exc:
        why = f"{path} is damaged ({exc}), so the journal cannot be opened."
        raise KeysMissing(f"{why} Restore keys.json from a backup.") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise KeysMissing(f"{path} is damaged, so the journal cannot be opened. Restore keys.json from a backup.") from exc


def _missing_message() -> str:
    if store.journal_path().exists():
        return (
            f"keys.json is missing from {store.home()}, so the journal cannot be opened. "
            "Put back keys.json from a backup (it sits next to each backup file)."
        )
    return f"There is no journal in {store.home()} yet. Run `afterglow init` to create one."


def save(keyfile: KeyFile, path: Path | None = None) -> None:
    with store.friendly_io():
        store.atomic_write(path or store.keys_path(), keyfile.to_json())
