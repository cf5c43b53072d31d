"""The person's safety preferences (`[safety]`): local mode's config.toml is readable while the journal is locked."""

from __future__ import annotations

from afterglow.preferences.store import Store

SECTION = "safety"


def chosen_region(prefs: Store) -> str:
    """The region picked in Settings, '' when none was picked."""
    return str(prefs.get(SECTION, "region", "") or "")


def set_region(prefs: Store, code: str) -> None:
    prefs.update(SECTION, {"region": code})


def gentle_notes(prefs: Store) -> bool:
    """Whether a saved entry that uses words of crisis brings a quiet note offering help (on by default)."""
    return bool(prefs.get(SECTION, "gentle_notes", True))


def set_gentle_notes(prefs: Store, on: bool) -> None:
    prefs.update(SECTION, {"gentle_notes": on})
