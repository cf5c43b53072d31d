"""`config.toml` in the data directory: a person's preferences (region, switches), never journal content.

Read without unlocking (the crisis region must work on a locked /help); written
atomically. Values are flat: [section] then `key = string | bool | int`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from afterglow.lib.datafiles import DataFileError, load_toml

Scalar = str | bool | int
MAX_BYTES = 64 * 1024


def read(path: Path) -> dict[str, dict[str, Any]]:
    try:
        # Preferences are a few lines; a device or a huge file in their place is read as no preferences.
        return load_toml(path, _sections, max_bytes=MAX_BYTES, too_big=str)
    except DataFileError:
        # A missing or hand-broken file means defaults; the app must still open.
        return {}


def _sections(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: body for name, body in raw.items() if isinstance(body, dict)}


def get(path: Path, section: str, key: str, default: Any = None) -> Any:
    return read(path).get(section, {}).get(key, default)


def update(path: Path, section: str, values: dict[str, Scalar]) -> None:
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
