"""CLI saves are acknowledged only once they are on disk.

The journal runs in WAL mode with `synchronous = NORMAL`: a commit survives the process being
killed, but reaches the disk only at the next checkpoint. A CLI process ends right after it
prints "Saved entry 12." (and `serve`, which may hold the journal open, checkpoints when it
likes), so a CLI verb's connections use FULL: every commit fsyncs the WAL before it returns.
"""

from __future__ import annotations

from typing import Any


def make_durable(connection: Any) -> None:
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        connection.connection.execute("PRAGMA synchronous = FULL")


def every_commit_synced(sender: Any, connection: Any, **kwargs: Any) -> None:
    """A `connection_created` receiver for a CLI process, where every connection is the verb's own."""
    make_durable(connection)
