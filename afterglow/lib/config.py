"""`config.toml` in the data directory: a person's preferences (region, switches), never journal content.

Read without unlocking (the crisis region must work on a locked /help); written
atomically. Values are flat: [section] then `key = string | bool | int`. Clinic mode keeps the
same sections per patient in the database (afterglow.preferences); `sections` and `checked` are
the shape both keep.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from afterglow.lib.datafiles import DataFileError, load_toml

Scalar = str | bool | int
MAX_BYTES = 64 * 1024
MAX_TEXT = 200  # the longest value any preference needs (a time zone's name is under 40)
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


# path → (the file's stat stamp when read, what it held). Every page asks (theme, crisis region,
# idle minutes); a stat is a few microseconds, reading and parsing the TOML some tens.
_seen: dict[str, tuple[tuple[int, int, int, int], dict[str, dict[str, Any]]]] = {}
_seen_lock = threading.Lock()


def read(path: Path) -> dict[str, dict[str, Any]]:
    """The file's sections (a fresh copy each call), read again whenever the file itself changed."""
    try:
        info = os.stat(path)
        stamp: tuple[int, int, int, int] | None = (info.st_mtime_ns, info.st_size, info.st_ino, info.st_dev)
    except OSError:
        stamp = None
    key = str(path)
    with _seen_lock:
        seen = _seen.get(key)
    if stamp is None or seen is None or seen[0] != stamp:
        data = _load(path)
        if stamp is not None:
            with _seen_lock:
                _seen[key] = (stamp, data)
    else:
        data = seen[1]
    return {name: dict(body) for name, body in data.items()}


def _load(path: Path) -> dict[str, dict[str, Any]]:
    try:
        # Preferences are a few lines; a device or a huge file in their place is read as no preferences.
        return load_toml(path, _sections, max_bytes=MAX_BYTES, too_big=str)
    except DataFileError:
        # A missing or hand-broken file means defaults; the app must still open.
        return {}


def _sections(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return sections(raw)


def sections(raw: object) -> dict[str, dict[str, Scalar]]:
    """What was stored, as preferences: named sections of flat values; anything else is left out (read as defaults)."""
    if not isinstance(raw, Mapping):
        return {}
    return {
        name: {key: value for key, value in body.items() if _usable(key, value)}
        for name, body in raw.items()
        if isinstance(name, str) and NAME.fullmatch(name) and isinstance(body, Mapping)
    }


def _usable(key: object, value: object) -> bool:
    if not isinstance(key, str) or not NAME.fullmatch(key):
        return False
    return isinstance(value, bool | int) or (isinstance(value, str) and len(value) <= MAX_TEXT)


def checked(section: str, values: Mapping[str, Scalar]) -> dict[str, Scalar]:
    """Values about to be kept: each one usable, else ValueError (a caller's mistake: domains check what people type)."""
    if not NAME.fullmatch(section):
        raise ValueError(f"not a preferences section name: {section!r}")
    for key, value in values.items():
        if not _usable(key, value):
            raise ValueError(f"not a preference Afterglow keeps: [{section}] {key!r}")
    return dict(values)


def get(path: Path, section: str, key: str, default: Any = None) -> Any:
    return read(path).get(section, {}).get(key, default)


def update(path: Path, section: str, values: dict[str, Scalar]) -> None:
    values = checked(section, values)
    data = read(path)
    data.setdefault(section, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def dumps(data: dict[str, dict[str, Any]]) -> str:
    lines = ["# Afterglow preferences. Safe to edit; journal content is never stored here."]
    for name in sorted(data):
        lines += ["", f"[{name}]"]
        lines += [f"{key} = {_value(value)}" for key, value in sorted(data[name].items())]
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{text}"'
