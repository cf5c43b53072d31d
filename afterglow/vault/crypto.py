"""Key derivation and key wrapping (framework-free).

The journal is opened with a random 256-bit data key. That key is stored
only wrapped (AES-256-GCM) by two key-encryption keys:
  * the passphrase key: Argon2id(passphrase, salt, tuned params);
  * the recovery key: 200 random bits shown once as groups of letters and
    digits, stretched with HKDF (it is already high-entropy, so no slow KDF).
"""

from __future__ import annotations

import base64
import math
import os
import time
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
RECOVERY_BYTES = 25  # 200 bits → 40 base32 characters → 8 groups of 5
TARGET_SECONDS = 0.3  # within the 0.2–0.5 s we aim for on a 2-core laptop
MEMORY_KIB = 32 * 1024


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int
    seconds: float = 0.0  # measured when tuned, recorded so later versions can raise the cost

    def as_dict(self) -> dict[str, object]:
        return {"name": "argon2id", **asdict(self)}


# Only for tests (AFTERGLOW_KDF_FAST): the same algorithm at a trivial cost.
FAST_PARAMS = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)


def derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _timed(params: KdfParams) -> float:
    start = time.perf_counter()
    derive("tuning", os.urandom(16), params)
    return time.perf_counter() - start


def tune(target: float = TARGET_SECONDS, low: float = 0.2, high: float = 0.5) -> KdfParams:
    """Argon2id parameters that take about `target` (within low..high) seconds on this machine."""
    parallelism = min(4, max(1, os.cpu_count() or 1))
    # Memory is fixed at 32 MiB (above OWASP's 19 MiB × 2 passes baseline) so that a CLI verb,
    # which unlocks on every run, stays under its 100 MB peak-memory budget;
    # the time budget is then spent on passes.
    memory = MEMORY_KIB
    _timed(KdfParams(1, memory, parallelism))  # the first run pays for page faults; do not count it
    seconds = _timed(KdfParams(1, memory, parallelism))
    time_cost = max(1, round(target / seconds))
    seconds = _timed(KdfParams(time_cost, memory, parallelism))
    for _ in range(8):
        if seconds < low:
            time_cost += 1
        elif seconds > high and time_cost > 1:
            time_cost -= 1
        else:
            break
        seconds = _timed(KdfParams(time_cost, memory, parallelism))
    return KdfParams(time_cost, memory, parallelism, round(seconds, 3))


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
