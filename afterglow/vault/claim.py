"""Which processes have the journal open: a lock on `journal.lock` in the data folder.

Every process that opens the journal (`serve`, each CLI verb) holds a shared lock on it
for as long as it runs. A verb that swaps journal.db for another file (restore, or
finishing a restore that was interrupted) needs the lock alone, so it can never pull the
journal out from under a running server that would go on acknowledging saves into a file
nobody will read again. The kernel drops the lock when a process ends, even by kill -9,
so a crashed server leaves no stale claim behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from afterglow.vault import store
from afterglow.vault.errors import InUse

NAME = "journal.lock"
_fd: int | None = None
_path: Path | None = None
_shared = False


def _file() -> int:
    """The lock file's descriptor for the current data folder (a new one if the folder changed)."""
    global _fd, _path, _shared
    path = store.home() / NAME
    if _fd is not None and _path == path:
        return _fd
    release()
    with store.friendly_io():
        path.parent.mkdir(parents=True, exist_ok=True)
        _fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    _path = path
    return _fd


def _try(exclusive: bool) -> bool:
    if sys.platform == "win32":  # no flock: Windows keeps an open journal.db from being replaced anyway
        return True
    import fcntl

    try:
        fcntl.flock(_file(), (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def share(wait_seconds: float = 30.0) -> None:
    """Hold the journal open (shared) for the rest of this process; waits out a restore under way."""
    global _shared
    if _shared and _path == store.home() / NAME:
        return
    deadline = time.monotonic() + wait_seconds
    while not _try(exclusive=False):
        if time.monotonic() > deadline:
            raise InUse("A restore is under way in another Afterglow process. Try again when it has finished.")
        time.sleep(0.05)
    _shared = True


@contextlib.contextmanager
def alone(refusal: str) -> Iterator[None]:
    """The journal to this process alone for the block, or InUse(refusal) at once.

    Taking the lock alone replaces a shared one this process held (flock converts in
    place); afterwards the process holds it shared again, as it will go on using the journal.
    """
    global _shared
    held = _shared and _path == store.home() / NAME
    if not _try(exclusive=True):
        _shared = False
        if held:
            share()  # a failed conversion has already given up the shared lock
        raise InUse(refusal)
    _shared = False
    try:
        yield
    finally:
        if not _try(exclusive=False):  # pragma: no cover - converting down never conflicts
            raise InUse(refusal)
        _shared = True


def release() -> None:
    """Let go of the journal (the tests' many data folders; a process ending does it too)."""
    global _fd, _path, _shared
    if _fd is not None:
        with contextlib.suppress(OSError):
            os.close(_fd)
    _fd, _path, _shared = None, None, False
