"""What a keys.json must hold, checked before anything in it is used.

A keys file can be damaged by hand, by a disk or by another program (`null`, a
list, a field missing, base64 that is not). Each way gets its own short reason,
so the one line a person reads says what is wrong instead of "something went
wrong (AttributeError)". Bounds on the key-derivation cost also keep a damaged
file from asking Argon2 for a terabyte of memory.
"""

from __future__ import annotations

import binascii
from typing import Any

from afterglow.vault import crypto

NONCE_BYTES = 12
TAG_BYTES = 16
# Generous on both sides of any cost Afterglow chooses; outside them the file is damaged, not slow.
COST_BOUNDS = {"time_cost": (1, 1000), "memory_kib": (8, 16 * 1024 * 1024), "parallelism": (1, 64)}
WRAPPED = ("nonce", "ciphertext")


class Damaged(ValueError):
    """Why a keys file cannot be used, in a few words."""


def check(doc: Any, expected_format: str, expected_version: int) -> None:
    if not isinstance(doc, dict):
        raise Damaged(f"it holds {_kind(doc)} instead of the keys")
    if doc.get("format") != expected_format or doc.get("version") != expected_version:
        raise Damaged("it is not an Afterglow keys file of a version this Afterglow knows")
    kdf = _part(doc, "kdf")
    if kdf.get("name") != "argon2id":
        raise Damaged("its key derivation is not Argon2id")
    for name, (low, high) in COST_BOUNDS.items():
        value = kdf.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise Damaged(f"its kdf {name} is missing or outside {low}–{high}")
    _bytes(kdf, "kdf", "salt")
    passphrase = _part(doc, "passphrase")
    recovery = _part(doc, "recovery")
    _bytes(recovery, "recovery", "salt")
    for section, part in (("passphrase", passphrase), ("recovery", recovery)):
        if len(_bytes(part, section, "nonce")) != NONCE_BYTES:
            raise Damaged(f"its {section} nonce is not {NONCE_BYTES} bytes long")
        if len(_bytes(part, section, "ciphertext")) <= TAG_BYTES:
            raise Damaged(f"its {section} ciphertext is too short to hold a key")


def _part(doc: dict[str, Any], section: str) -> dict[str, Any]:
    part = doc.get(section)
    if not isinstance(part, dict):
        raise Damaged(f"its {section!r} part is missing or not a set of fields")
    return part


def _bytes(part: dict[str, Any], section: str, name: str) -> bytes:
    value = part.get(name)
    if not isinstance(value, str):
        raise Damaged(f"its {section} {name} is missing")
    try:
        return crypto.unb64(value)
    except (binascii.Error, ValueError):
        raise Damaged(f"its {section} {name} is not valid base64") from None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true or false"}.get(
        type(value), "something else"
    )
