"""Derive the passphrase's key before Django is imported (CLI verbs unlocked by AFTERGLOW_PASSPHRASE).

Argon2id holds 64 MiB for a moment (its cost is fixed; see vault/crypto.py) and Django with
Afterglow's apps about 60 MB: one after the other, a CLI process peaks near the larger of
the two plus the interpreter, not their sum. The same work, in a different order: the vault
asks `crypto.derive` for the key as always and gets this one, which was made from the same
passphrase, salt and cost (any other request is derived as usual).

Nothing here decides anything: a keys.json that cannot be read is left for the unlock to
report in its own words.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from afterglow import modes
from afterglow.vault import crypto, keyshape

KEYS = "keys.json"
KEYS_MAX_BYTES = 64 * 1024
FORMAT, VERSION = "afterglow-keys", 1  # as vault/keyfile.py writes it


def prepare(home: Path) -> bool:
    """Derive the key keys.json's passphrase lock will ask for; True when one is ready."""
    passphrase = os.environ.get("AFTERGLOW_PASSPHRASE")
    if not passphrase or not modes.named(os.environ.get("AFTERGLOW_MODE", modes.LOCAL)).unlocks_in_process:
        return False
    try:
        with open(home / KEYS, "rb") as keys:
            doc = json.loads(keys.read(KEYS_MAX_BYTES + 1))
        keyshape.check(doc, FORMAT, VERSION)
        kdf = doc["kdf"]
        params = crypto.KdfParams(int(kdf["time_cost"]), int(kdf["memory_kib"]), int(kdf["parallelism"]))
        salt = crypto.unb64(kdf["salt"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    crypto.prepare(crypto.normalise(passphrase), salt, params)
    return True
