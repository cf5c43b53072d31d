"""Keep a small derived read until the database changes.

SQLite tells a connection whether anything has changed since it last asked:
`PRAGMA data_version` moves when another connection (another thread, the CLI)
commits, and `total_changes()` moves when this connection itself writes. The
pair is a version of the whole database as this connection sees it, and
reading it costs a few microseconds, far less than most reads it can spare.

What is kept belongs to one connection, so to one thread, and is dropped with
it: a locked vault closes its connections, and `forget()` drops everything at
once. Inside a transaction nothing is kept or reused (a rollback would leave a
read of rows that never were), and on any other database (PostgreSQL, in a
clinic) every call simply reads again.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

T = TypeVar("T")

# raw connection → {key: (version, value)}
_kept: weakref.WeakKeyDictionary[Any, dict[Hashable, tuple[tuple[int, int], Any]]] = weakref.WeakKeyDictionary()
_guard = threading.Lock()
# Other keepers of derived journal data (kept across changes, so not in `_kept`) that must go too.
_also_forget: list[Callable[[], None]] = []


def version(connection: BaseDatabaseWrapper = default_connection) -> tuple[int, int] | None:
    """This connection's view of the database as two counters, or None when it cannot be known."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes(), data_version FROM pragma_data_version")
        changes, data_version = cursor.fetchone()
    return int(changes), int(data_version)


def kept(key: Hashable, build: Callable[[], T], connection: BaseDatabaseWrapper = default_connection) -> T:
    """`build()`, or what it gave last time for `key` on this connection if nothing has changed since."""
    now = version(connection)
    if now is None:
        return build()
    raw = connection.connection
    try:
        store = _kept.get(raw)
    except TypeError:  # a driver connection that cannot be weakly referenced: nothing is kept
        return build()
    if store is not None and key in store and store[key][0] == now:
        return store[key][1]
    value = build()
    with _guard:
        _kept.setdefault(raw, {})[key] = (now, value)
    return value


def forget() -> None:
    """Drop everything kept, on every connection (the vault calls this when it locks)."""
    with _guard:
        _kept.clear()
    for callback in _also_forget:
        callback()


def on_forget(callback: Callable[[], None]) -> None:
    """Have `forget()` call this too: for a module that keeps its own derived reads (insights' themes)."""
    if callback not in _also_forget:
        _also_forget.append(callback)
