"""The data key, held in this process's memory only while the journal is unlocked."""

from __future__ import annotations

import threading

_lock = threading.Lock()
_key: bytes | None = None


def current_key() -> bytes | None:
    return _key


def remember(key: bytes) -> None:
    global _key
    with _lock:
        _key = key


def forget() -> None:
    global _key
    with _lock:
        _key = None
