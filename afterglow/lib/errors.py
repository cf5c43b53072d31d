"""Turn unexpected exceptions into one sentence a person can act on."""

from __future__ import annotations

import logging

log = logging.getLogger("afterglow")


def describe(exc: BaseException) -> str:
    text = str(exc).lower()
    if "file is not a database" in text:
        return "the journal could not be opened with this key (is the passphrase right?)"
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return "the data directory is read-only; Afterglow cannot save there"
    if "disk is full" in text or "no space left" in text:
        return "the disk is full; free some space and try again (nothing was lost)"
    if "database is locked" in text:
        return "the journal is busy in another Afterglow process; try again in a moment"
    # The type name only: exception messages may quote journal text.
    log.debug("unexpected error", exc_info=exc)
    return f"something went wrong ({type(exc).__name__}); nothing you wrote was lost"
