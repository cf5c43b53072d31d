"""A clinic patient's key ring for private entries: made, opened and re-wrapped (see `private.py`).

The private half of the patient's key pair is stored only wrapped (AES-256-GCM, `vault.crypto`):
by a key derived from their password (Argon2id, the vault's parameters, its own salt) and by a
recovery key shown once. Each wrapping names the owner, so a wrapped key copied onto another
patient's row does not open.
"""

from __future__ import annotations

import base64
import os
from typing import Any

from django.conf import settings
from django.utils import timezone

from afterglow.journal import private
from afterglow.journal.models import Entry, PrivateKeyring
from afterglow.vault import crypto


def _kdf_params() -> crypto.KdfParams:
    return crypto.FAST_PARAMS if getattr(settings, "VAULT_KDF_FAST_FOR_TESTS", False) else crypto.PARAMS


def _purpose(keyring: PrivateKeyring, how: str) -> str:
    return f"afterglow private entries of {keyring.owner_id} by {how}"


def _password_wrap(keyring: PrivateKeyring, secret: bytes, password: str) -> dict[str, Any]:
    salt, params = os.urandom(16), _kdf_params()
    kek = crypto.derive(crypto.normalise(password), salt, params)
    return {"salt": crypto.b64(salt), "kdf": params.as_dict(), **crypto.wrap(kek, secret, _purpose(keyring, "password"))}


def _recovery_wrap(keyring: PrivateKeyring, secret: bytes) -> tuple[dict[str, str], str]:
    raw, salt = crypto.new_recovery_key(), os.urandom(16)
    kek = crypto.recovery_kek(raw, salt)
    wrapped = {"salt": crypto.b64(salt), **crypto.wrap(kek, secret, _purpose(keyring, "recovery"))}
    return wrapped, crypto.format_recovery_key(raw)


def create_keyring(owner: Any, password: str) -> tuple[bytes, str]:
    """A new key pair for `owner`, wrapped by the password and a new recovery key; returns (private key, recovery key).

    Replaces an older key ring: private entries sealed to it can then not be opened again.
    """
    secret, public = private.new_key_pair()
    keyring, _ = PrivateKeyring.objects.get_or_create(owner=owner)
    keyring.public_key = base64.b64encode(public).decode("ascii")
    keyring.by_password = _password_wrap(keyring, secret, password)
    keyring.by_recovery, recovery = _recovery_wrap(keyring, secret)
    keyring.recovery_confirmed_at = None
    keyring.save()
    return secret, recovery


def unlock_with_password(keyring: PrivateKeyring, password: str) -> bytes | None:
    wrapped = keyring.by_password
    if not wrapped:
        return None
    kdf = {k: v for k, v in wrapped["kdf"].items() if k != "name"}
    kek = crypto.derive(crypto.normalise(password), crypto.unb64(wrapped["salt"]), crypto.KdfParams(**kdf))
    return crypto.unwrap(kek, wrapped, _purpose(keyring, "password"))


def unlock_with_recovery(keyring: PrivateKeyring, recovery_text: str) -> bytes | None:
    raw = crypto.parse_recovery_key(recovery_text)
    wrapped = keyring.by_recovery
    if raw is None or not wrapped:
        return None
    kek = crypto.recovery_kek(raw, crypto.unb64(wrapped["salt"]))
    secret = crypto.unwrap(kek, wrapped, _purpose(keyring, "recovery"))
    return secret if secret is not None and private.public_of(secret) == base64.b64decode(keyring.public_key) else None


def rewrap_password(keyring: PrivateKeyring, secret: bytes, password: str) -> None:
    keyring.by_password = _password_wrap(keyring, secret, password)
    keyring.save(update_fields=["by_password"])


def forget_password(owner: Any) -> None:
    """An admin's reset: the old password's wrapping goes; only the recovery key opens the entries now."""
    PrivateKeyring.objects.filter(owner=owner).update(by_password={})


def new_recovery_key(keyring: PrivateKeyring, secret: bytes) -> str:
    """Replace the recovery key (the old one stops working); it needs confirming again."""
    keyring.by_recovery, recovery = _recovery_wrap(keyring, secret)
    keyring.recovery_confirmed_at = None
    keyring.save(update_fields=["by_recovery", "recovery_confirmed_at"])
    return recovery


def confirm_recovery(keyring: PrivateKeyring) -> None:
    keyring.recovery_confirmed_at = timezone.now()
    keyring.save(update_fields=["recovery_confirmed_at"])


def locked_count(owner: Any) -> int:
    """How many of `owner`'s private entries this request cannot open (none when it holds their key)."""
    sealed = Entry.objects.filter(owner=owner).exclude(sealed="").only("id", "uid", "owner_id", "sealed", "private")
    return sum(1 for entry in sealed if entry.locked)


def seal_leftovers(owner: Any) -> None:
    """Seal `owner`'s private entries still stored in the clear (marked before their key existed)."""
    for entry in Entry.objects.filter(owner=owner, private=True, sealed=""):
        entry.save(update_fields=["title", "text"])
        for revision in entry.revisions.filter(sealed="").exclude(text=""):
            revision.entry = entry
            revision.save(update_fields=["text"])
