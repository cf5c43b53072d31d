"""The person's safety preferences, kept in `config.toml` (readable while the journal is locked)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from afterglow.lib import config

SECTION = "safety"


def _path() -> Path:
    return Path(settings.HOME) / "config.toml"


def chosen_region() -> str:
    """The region picked in Settings, '' when none was picked."""
    return str(config.get(_path(), SECTION, "region", "") or "")


def set_region(code: str) -> None:
    config.update(_path(), SECTION, {"region": code})


def gentle_notes() -> bool:
    """Whether a saved entry that uses words of crisis brings a quiet note offering help (on by default)."""
    return bool(config.get(_path(), SECTION, "gentle_notes", True))


def set_gentle_notes(on: bool) -> None:
    config.update(_path(), SECTION, {"gentle_notes": on})
