"""The data key, held in this process's memory only while the journal is unlocked.

Connections opened with the key are tracked (weakly) so that locking can
close every one of them, in whichever thread opened it.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from typing import Any

_lock = threading.Lock()
_key: bytes | None = None
_open: weakref.WeakSet[Any] = weakref.WeakSet()


def current_key() -> bytes | None:
    return _key


def remember(key: bytes) -> None:
    global _key
    with _lock:
        _key = key


def track(connection: Any) -> None:
    with _lock:
        _open.add(connection)


def forget() -> None:
    """Drop the key and close every keyed connection still open."""
    global _key
    with _lock:
        _key = None
        connections = list(_open)
        _open.clear()
    for conn in connections:
        with contextlib.suppress(Exception):  # already closed, or closing mid-query in another thread
            conn.close()
