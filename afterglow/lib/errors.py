"""Afterglow's one error vocabulary, and one sentence for unexpected exceptions.

`UserError` is bad input or a state the person can fix: its message is meant
for a person and shown as is (one stderr line and exit 2 in the CLI, the page or
a JSON refusal with `status` on the web). Subclasses exist where a name helps a
caller catch one kind; each says its status as a class attribute.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger("afterglow")


class UserError(Exception):
    status = 400
    default_message = "That did not work; please check what you gave and try again."

    def __init__(self, message: str = "", status: int | None = None) -> None:
        super().__init__(message or self.default_message)
        if status is not None:
            self.status = status

    @property
    def message(self) -> str:
        return str(self)


def describe(exc: BaseException) -> str:
    from afterglow.lib.env import BadEnvironment

    if isinstance(exc, BadEnvironment):
        return str(exc)
    text = str(exc).lower()
    if "file is not a database" in text:
        return "the journal could not be opened with this key (is the passphrase right?)"
    if isinstance(exc, OSError) and exc.filename and not _in_data_home(exc.filename):
        # A path the person named (`backup -o /proc/x.db`): say which, and what the system said.
        return f"{exc.filename}: {(exc.strerror or 'cannot be used').lower()}"
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return "the data directory is read-only; Afterglow cannot save there"
    if "disk is full" in text or "no space left" in text:
        return "the disk is full; free some space and try again (nothing was lost)"
    if "database is locked" in text:
        return "the journal is busy in another Afterglow process; try again in a moment"
    if "unable to open database file" in text:
        # SQLite does not say which file; the verb's own path is the one that could not be made.
        return "a database file could not be opened or created there; check that the folder exists and can be written to"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror.lower()}; nothing you wrote was lost"
    # The type name only: exception messages may quote journal text.
    log.debug("unexpected error", exc_info=exc)
    return f"something went wrong ({type(exc).__name__}); nothing you wrote was lost"


def _in_data_home(filename: str | bytes | int) -> bool:
    from afterglow.lib.env import data_home

    try:
        path = os.path.realpath(os.fsdecode(filename)) if not isinstance(filename, int) else ""
    except (TypeError, ValueError):
        return False
    return bool(path) and (path == str(data_home()) or path.startswith(str(data_home()) + os.sep))
