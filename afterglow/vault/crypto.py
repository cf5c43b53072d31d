"""Key derivation and key wrapping (framework-free).

The journal is opened with a random 256-bit data key. That key is stored
only wrapped (AES-256-GCM) by two key-encryption keys:
  * the passphrase key: Argon2id(NFC passphrase, salt, fixed params);
  * the recovery key: 200 random bits shown once as groups of letters and
    digits, stretched with HKDF (it is already high-entropy, so no slow KDF).
"""

from __future__ import annotations

import base64
import math
import os
import unicodedata
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
RECOVERY_BYTES = 25  # 200 bits → 40 base32 characters → 8 groups of 5


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int

    def as_dict(self) -> dict[str, object]:
        return {"name": "argon2id", **asdict(self)}

    def weaker_than(self, floor: KdfParams) -> bool:
        """Fewer passes or less memory than `floor` (fewer lanes make no attacker's work easier)."""
        return self.time_cost < floor.time_cost or self.memory_kib < floor.memory_kib


# The same on every machine, whatever its load: RFC 9106's second recommended option
# (Argon2id, 64 MiB, 3 passes, 4 lanes), above OWASP's minimums. No timing decides it, so a
# busy computer can never make a journal weaker. Why these figures: docs/privacy.md.
PARAMS = KdfParams(time_cost=3, memory_kib=64 * 1024, parallelism=4)


def raised(old: KdfParams, floor: KdfParams) -> KdfParams:
    """At least `floor` in each parameter, and never less work than `old` (passes × memory).

    A journal tuned on a quiet machine before (32 MiB, up to ~19 passes) moves to 64 MiB with
    as many passes as keep its old work, so raising the memory never lowers its total cost.
    """
    memory = max(old.memory_kib, floor.memory_kib)
    passes = max(floor.time_cost, -(-old.time_cost * old.memory_kib // memory))
    return KdfParams(passes, memory, floor.parallelism)


# Only the test settings (tests/settings_test.py) ask for this: the same algorithm at a trivial cost.
FAST_PARAMS = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)


def normalise(passphrase: str) -> str:
    """NFC, so é typed as one code point or as e + combining accent is the same passphrase."""
    return unicodedata.normalize("NFC", passphrase)


# Keys derived ahead of need by `prepare` (a CLI process derives before it imports Django, so
# Argon2id's memory and Django's are never held at once); each is handed out once, then forgotten.
_prepared: dict[tuple[str, bytes, KdfParams], bytes] = {}


def prepare(passphrase: str, salt: bytes, params: KdfParams) -> None:
    _prepared[passphrase, salt, params] = derive(passphrase, salt, params)


def derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    ready = _prepared.pop((passphrase, salt, params), None)
    if ready is not None:
        return ready
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def seal(key: bytes, data: bytes, purpose: str | bytes) -> bytes:
    """AES-256-GCM under a fresh random nonce, as one value: the nonce (12 bytes), then the ciphertext and tag."""
    nonce = os.urandom(12)
    aad = purpose.encode() if isinstance(purpose, str) else purpose
    return nonce + AESGCM(key).encrypt(nonce, data, aad)


def open_sealed(key: bytes, sealed: bytes | memoryview, purpose: str | bytes) -> bytes | None:
    """What `seal` sealed, or None when this is not the key (or the bytes or the purpose changed)."""
    raw = memoryview(sealed)
    aad = purpose.encode() if isinstance(purpose, str) else purpose
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], aad)
    except InvalidTag:
        return None


def wrap(kek: bytes, secret: bytes, purpose: str) -> dict[str, str]:
    nonce = os.urandom(12)
    sealed = AESGCM(kek).encrypt(nonce, secret, purpose.encode())
    return {"nonce": b64(nonce), "ciphertext": b64(sealed)}


def unwrap(kek: bytes, wrapped: dict[str, str], purpose: str) -> bytes | None:
    """The secret, or None when this key (passphrase) is the wrong one."""
    try:
        return AESGCM(kek).decrypt(unb64(wrapped["nonce"]), unb64(wrapped["ciphertext"]), purpose.encode())
    except InvalidTag:
        return None


def recovery_kek(recovery: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"afterglow recovery key").derive(recovery)


def new_recovery_key() -> bytes:
    return os.urandom(RECOVERY_BYTES)


def format_recovery_key(raw: bytes) -> str:
    text = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5))


# Letters people tend to write for the digits base32 leaves out.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G"})


def parse_recovery_key(text: str) -> bytes | None:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_LOOKALIKES)
    if len(cleaned) != math.ceil(RECOVERY_BYTES * 8 / 5):
        return None
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError:
        return None
    return raw if len(raw) == RECOVERY_BYTES else None


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)
