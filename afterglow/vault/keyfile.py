"""keys.json: the KDF parameters, the salt and the data key wrapped two ways.

Format (version 1), no secret in clear:
    {"format": "afterglow-keys", "version": 1, "cipher": "sqlcipher4-raw-key-hmac-sha256",
     "kdf": {"name": "argon2id", "time_cost", "memory_kib", "parallelism", "seconds", "salt"},
     "passphrase": {"nonce", "ciphertext"},          AES-256-GCM, key = Argon2id(passphrase)
     "recovery": {"salt", "nonce", "ciphertext"}}    AES-256-GCM, key = HKDF(recovery key)
The data key is the raw SQLCipher key of journal.db and of every backup (SQLCipher 4 defaults,
but HMAC-SHA256 page authentication: see afterglow/vault/backend/base.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from afterglow.vault import crypto, store
from afterglow.vault.errors import KeysMissing, WrongPassphrase, WrongRecoveryKey

FORMAT = "afterglow-keys"
CIPHER = "sqlcipher4-raw-key-hmac-sha256"
VERSION = 1
PASSPHRASE_PURPOSE = "afterglow keys.json v1: data key under passphrase"
RECOVERY_PURPOSE = "afterglow keys.json v1: data key under recovery key"


@dataclass(frozen=True)
class KeyFile:
    params: crypto.KdfParams
    salt: bytes
    by_passphrase: dict[str, str]
    recovery_salt: bytes
    by_recovery: dict[str, str]
    created_at: str

    @property
    def journal_id(self) -> str:
        """Which journal this is, without opening it: made from the recovery salt, set once at
        init and kept through passphrase changes and recovery, so every backup's keys carry it."""
        return hashlib.sha256(b"afterglow journal id" + self.recovery_salt).hexdigest()[:12]

    def open_with_passphrase(self, passphrase: str) -> bytes:
        kek = crypto.derive(passphrase, self.salt, self.params)
        key = crypto.unwrap(kek, self.by_passphrase, PASSPHRASE_PURPOSE)
        if key is None:
            raise WrongPassphrase()
        return key

    def open_with_recovery(self, recovery_text: str) -> bytes:
        raw = crypto.parse_recovery_key(recovery_text)
        key = raw and crypto.unwrap(crypto.recovery_kek(raw, self.recovery_salt), self.by_recovery, RECOVERY_PURPOSE)
        if not key:
            raise WrongRecoveryKey()
        return key

    def with_passphrase(self, data_key: bytes, passphrase: str) -> KeyFile:
        """Re-wrap the same data key under a new passphrase (fresh salt, freshly tuned cost)."""
        params = current_params()
        salt = os.urandom(16)
        wrapped = crypto.wrap(crypto.derive(passphrase, salt, params), data_key, PASSPHRASE_PURPOSE)
        return replace(self, params=params, salt=salt, by_passphrase=wrapped)

    def to_json(self) -> bytes:
        doc: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "cipher": CIPHER,
            "created_at": self.created_at,
            "kdf": {**self.params.as_dict(), "salt": crypto.b64(self.salt)},
            "passphrase": self.by_passphrase,
            "recovery": {"salt": crypto.b64(self.recovery_salt), **self.by_recovery},
        }
        return (json.dumps(doc, indent=2) + "\n").encode()

    @classmethod
    def from_json(cls, data: bytes) -> KeyFile:
        doc = json.loads(data)
        if doc.get("format") != FORMAT or doc.get("version") != VERSION:
            raise ValueError("not an Afterglow keys file")
        kdf = doc["kdf"]
        if kdf.get("name") != "argon2id":
            raise ValueError("unknown key derivation")
        params = crypto.KdfParams(int(kdf["time_cost"]), int(kdf["memory_kib"]), int(kdf["parallelism"]), float(kdf["seconds"]))
        recovery = doc["recovery"]
        return cls(
            params=params,
            salt=crypto.unb64(kdf["salt"]),
            by_passphrase={"nonce": doc["passphrase"]["nonce"], "ciphertext": doc["passphrase"]["ciphertext"]},
            recovery_salt=crypto.unb64(recovery["salt"]),
            by_recovery={"nonce": recovery["nonce"], "ciphertext": recovery["ciphertext"]},
            created_at=str(doc.get("created_at", "")),
        )


def current_params() -> crypto.KdfParams:
    return crypto.FAST_PARAMS if settings.VAULT_KDF_FAST else crypto.tune()


def create(passphrase: str) -> tuple[KeyFile, bytes, str]:
    """A new key file, the data key it wraps, and the recovery key to show once."""
    data_key = os.urandom(crypto.KEY_BYTES)
    recovery = crypto.new_recovery_key()
    recovery_salt = os.urandom(16)
    by_recovery = crypto.wrap(crypto.recovery_kek(recovery, recovery_salt), data_key, RECOVERY_PURPOSE)
    blank = KeyFile(crypto.FAST_PARAMS, b"", {}, recovery_salt, by_recovery, datetime.now(UTC).isoformat(timespec="seconds"))
    return blank.with_passphrase(data_key, passphrase), data_key, crypto.format_recovery_key(recovery)


def exists(path: Path | None = None) -> bool:
    return (path or store.keys_path()).is_file()


def load(path: Path | None = None) -> KeyFile:
    path = path or store.keys_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KeysMissing(_missing_message()) from None
    except OSError as exc:
        raise KeysMissing(f"Afterglow cannot read {path} ({exc.strerror}).") from exc
    try:
        return KeyFile.from_json(data)
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
