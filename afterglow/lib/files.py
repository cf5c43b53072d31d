"""Reading a file a person names, without trusting it to be a plain, small file.

`afterglow voice add /dev/zero` once read until the kernel stopped it, and a
300 MB pipe held 385 MB in memory. Everything the CLI (or the journal's own
folders) reads goes through `read_bounded`: regular files and pipes only, and
never more than the limit held in memory — a pipe is read in chunks and
refused as soon as it passes the limit.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from afterglow.lib.errors import UserError

CHUNK = 1024 * 1024


class FileRefused(UserError, ValueError):
    """The path cannot be read as a file of at most the limit; the message is for a person."""


def read_bounded(path: Path, limit: int, too_big: Callable[[int], str], *, what: str = "file", pipes: bool = True) -> bytes:
    """The bytes of `path`, at most `limit`; `too_big(size)` words the refusal (size may be a lower bound).

    `pipes=False` refuses pipes too, without waiting for a writer (for files found in a folder).
    """
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | (0 if pipes else getattr(os, "O_NONBLOCK", 0))
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileRefused(f"{path}: there is no such file") from None
    except IsADirectoryError:
        raise FileRefused(f"{path}: this is a folder, not a {what}") from None
    except PermissionError:
        raise FileRefused(f"{path}: permission denied") from None
    except OSError as exc:
        raise FileRefused(f"{path}: cannot be opened ({exc.strerror or 'unknown error'})") from None
    mode = os.fstat(fd)
    if stat.S_ISDIR(mode.st_mode):
        os.close(fd)
        raise FileRefused(f"{path}: this is a folder, not a {what}")
    with os.fdopen(fd, "rb", buffering=0) as stream:
        if stat.S_ISREG(mode.st_mode):
            if mode.st_size > limit:
                raise FileRefused(f"{path}: {too_big(mode.st_size)}")
        elif not (pipes and stat.S_ISFIFO(mode.st_mode)):
            # Devices (/dev/zero, a disk) and sockets never end or are not a file at all.
            raise FileRefused(f"{path}: this is a device or other special file, not a {what}")
        try:
            return _read_at_most(stream, limit, too_big, path, expected=mode.st_size)
        except OSError as exc:
            raise FileRefused(f"{path}: could not be read ({exc.strerror or 'unknown error'})") from None


def _read_at_most(stream, limit: int, too_big: Callable[[int], str], path: Path, *, expected: int) -> bytes:  # type: ignore[no-untyped-def]
    # A regular file is read at once at its size, as Path.read_bytes would. A pipe (or a file that
    # grows while we read, or /proc's files that say 0) goes on in chunks, stopping past the limit.
    head = (stream.read(min(expected, limit)) if expected else b"") or b""
    more = stream.read(1)
    if not more:
        return head
    buffer = bytearray(head)
    while more:
        buffer += more
        if len(buffer) > limit:
            raise FileRefused(f"{path}: {too_big(len(buffer))}")
        more = stream.read(min(CHUNK, limit + 1 - len(buffer)))
    # bytearray is a bytes-like value every reader here (BytesIO, Pillow, SQLite) takes as is;
    # converting would copy it and hold the file twice.
    return buffer  # type: ignore[return-value]
