"""Data as data: one way to read a TOML data file and check its shape.

Prompt packs, instruments, crisis lines, side effects, the capture's questions,
the drawing palette, the safety plan, the crisis words and the feeling groups
are TOML files, each with a `check` that turns the parsed table into what its
domain needs. Whatever goes wrong — no file, not TOML, a missing key, a wrong
shape — is one `DataFileError` whose message names the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from afterglow.lib.errors import UserError
from afterglow.lib.files import FileRefused, read_bounded

T = TypeVar("T")


class DataFileError(UserError, ValueError):
    """A data file that is missing, not TOML, or not the shape its check needs.

    A shipped file that fails is the installation's fault, not the request's: 500 on the web,
    one line naming the file in the CLI. A ValueError too, as callers have long caught it.
    """

    status = 500


def load_toml(
    path: Path,
    check: Callable[[dict[str, Any]], T],
    *,
    error: type[DataFileError] = DataFileError,
    where: str = "",
    max_bytes: int | None = None,
    too_big: Callable[[int], str] = lambda size: f"at most {size:,} bytes",
    what: str = "data file",
) -> T:
    """`check(table)` for the TOML table in `path`; every failure is an `error` that names `where` (or the file)."""
    name = where or path.name
    try:
        if max_bytes is None:
            text = path.read_text(encoding="utf-8")
        else:  # a file a person dropped in may be anything, even a device
            text = bytes(read_bounded(path, max_bytes, too_big, what=what, pipes=False)).decode("utf-8")
        raw = tomllib.loads(text)
    except FileRefused as exc:
        raise error(str(exc)) from None
    except OSError as exc:
        raise error(f"{name}: cannot be read ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise error(f"{name}: not valid TOML ({exc})") from exc
    try:
        return check(raw)
    except DataFileError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise error(f"{name}: {_shape(exc)}") from exc


def _shape(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"{exc.args[0]!r} is missing"
    return str(exc) or f"not the expected shape ({type(exc).__name__})"
