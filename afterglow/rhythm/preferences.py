"""Reminder preferences (`[reminders]`): times, wording, time zone. Never journal content.

A reminder is off until it has a time. Each person's own (afterglow.preferences); local mode's
config.toml is readable while the journal is locked, so `afterglow remind` can say the daily ones
without a passphrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from zoneinfo import ZoneInfo

from django.conf import settings

from afterglow.lib import config
from afterglow.lib.errors import UserError
from afterglow.preferences.store import Store
from afterglow.rhythm.kinds import IDS

SECTION = "reminders"
TYPED = re.compile(r"(\d{1,2}):(\d{2})(?::00)?")


class PreferenceError(UserError, ValueError):
    """A time or a zone a person typed that cannot be used; the message says why, kindly."""


@dataclass(frozen=True)
class Preferences:
    times: dict[str, time] = field(default_factory=dict)  # only the reminders that are on
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    detailed: bool = False  # calendar titles and notifications say what each one is for
    zone_chosen: bool = False  # False: the computer's zone, followed if it changes

    def is_on(self, kind: str) -> bool:
        return kind in self.times


def load(prefs: Store) -> Preferences:
    raw = prefs.section(SECTION)
    times = {kind: _clock(raw.get(kind)) for kind in IDS}
    chosen = _zone(raw.get("time_zone"))
    return Preferences(
        times={kind: at for kind, at in times.items() if at is not None},
        zone=chosen or default_zone(),
        detailed=raw.get("detailed") is True,
        zone_chosen=chosen is not None,
    )


def save(prefs: Store, times: dict[str, str], zone_name: str, detailed: bool) -> None:
    """Times as typed ("" is off), checked first: nothing is written unless all of it is usable."""
    for kind in times:
        if kind not in IDS:
            raise PreferenceError(f"There is no reminder called {kind!r}.")
        if times[kind] and _clock(times[kind]) is None:
            raise PreferenceError(f"“{times[kind]}” is not a time of day: please write it as 20:00 or 08:30.")
    zone_name = zone_name.strip()
    if zone_name and _zone(zone_name) is None:
        raise PreferenceError(f"“{zone_name}” is not a time zone Afterglow knows. Try a name such as Europe/London.")
    values: dict[str, config.Scalar] = {kind: _typed(times.get(kind, "")) for kind in IDS}
    values |= {"time_zone": zone_name, "detailed": detailed}
    prefs.update(SECTION, values)


def default_zone() -> ZoneInfo:
    """The computer's zone as Afterglow already uses it (AFTERGLOW_TIME_ZONE, else TZ, else UTC)."""
    return ZoneInfo(settings.TIME_ZONE)


def _clock(value: object) -> time | None:
    """ "20:00", "8:30" or a time field's "08:30:00"; None for anything else."""
    found = TYPED.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        return None
    return time(int(found[1]), int(found[2]))


def _typed(text: str) -> str:
    at = _clock(text)
    return at.strftime("%H:%M") if at else ""


def _zone(value: object) -> ZoneInfo | None:
    if not isinstance(value, str) or not value.strip() or value.startswith(("/", ".")) or ".." in value:
        return None
    try:
        return ZoneInfo(value.strip())
    except (ValueError, OSError, KeyError):
        return None
