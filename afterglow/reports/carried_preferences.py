"""A person's preferences carried in an Afterglow json export, and taken back when it is imported.

The export holds the settings Afterglow knows, as kept (config.toml locally, the patient's row in a
clinic). On import each one is checked as its Settings page checks it and saved through the same
function, into a scratch copy first, so the real store is written once per section that changed. A
setting Afterglow does not know, or a value it cannot use, is left out with a word saying so and
never stops the import. A clinic's limits hold: an idle time longer than the clinic allows is not taken.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from afterglow.lib import config
from afterglow.moments import stars
from afterglow.preferences import idle
from afterglow.preferences.store import Store, for_patient
from afterglow.rhythm import preferences as reminders
from afterglow.rhythm.kinds import IDS, wording
from afterglow.safety import preferences as safety
from afterglow.safety.crisis import regions
from afterglow.web import display

# What each section is called in the word after an import, in the order they are listed.
SECTIONS = {
    display.SECTION: "the look",
    safety.SECTION: "the crisis lines",
    reminders.SECTION: "reminders",
    idle.SECTION: "the quiet time before the journal closes",
    stars.SECTION: "bringing back key moments",
}
MOST_NOTES = 5


class Unusable(Exception):
    """A setting's value that its Settings page would refuse; the message says so in a person's words."""


Taker = Callable[[Store, object], None]


class _Held(Store):
    """A scratch copy of someone's preferences: the domains' own save functions check values into it."""

    def __init__(self, sections: Mapping[str, Mapping[str, config.Scalar]]) -> None:
        self._sections = {name: dict(body) for name, body in sections.items()}

    def read(self) -> dict[str, dict[str, config.Scalar]]:
        return {name: dict(body) for name, body in self._sections.items()}

    def update(self, section: str, values: Mapping[str, config.Scalar]) -> None:
        self._sections.setdefault(section, {}).update(config.checked(section, values))


def exported(owner: Any) -> dict[str, dict[str, config.Scalar]]:
    """The settings Afterglow knows, as this person keeps them (nothing else in config.toml goes out)."""
    known = _takers()
    kept = for_patient(owner).read()
    found = {name: {k: v for k, v in body.items() if (name, k) in known} for name, body in kept.items()}
    return {name: body for name, body in sorted(found.items()) if body}


def take(owner: Any, raw: object) -> list[str]:
    """Keep the export's settings that this Afterglow knows and can use; the words to say about it."""
    if not isinstance(raw, Mapping):
        return ["The settings in this export could not be read, so yours stay as they were."]
    prefs = for_patient(owner)
    before = prefs.read()
    held, problems, unknown = _Held(before), [], 0
    known = _takers()
    for section, values in raw.items():
        if not isinstance(values, Mapping):
            unknown += 1
            continue
        for key, value in values.items():
            taker = known.get((section, key))
            if taker is None:
                unknown += 1
                continue
            try:
                taker(held, value)
            except Unusable as why:
                problems.append(str(why))
    changed = [name for name in SECTIONS if held.section(name) != before.get(name, {})]
    for name in changed:
        prefs.update(name, held.section(name))
    return _words(changed, problems, unknown)


def _words(changed: list[str], problems: list[str], unknown: int) -> list[str]:
    said = [f"Your settings for {_listed([SECTIONS[name] for name in changed])} came from the export."] if changed else []
    said += problems[:MOST_NOTES]
    if len(problems) > MOST_NOTES:
        more = len(problems) - MOST_NOTES
        said.append(f"{more} more {'setting' if more == 1 else 'settings'} could not be used and stayed as they were.")
    if unknown:
        counted = "1 setting" if unknown == 1 else f"{unknown} settings"
        said.append(f"{counted} this Afterglow does not know {'was' if unknown == 1 else 'were'} left out.")
    return said


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _shown(value: object) -> str:
    text = str(value)
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _kept_as_was(what: str, value: object) -> Unusable:
    return Unusable(f"The export's {what} ({_shown(value)}) is not one Afterglow can use, so yours stays as it was.")


# ---- one taker per setting, each checking as its Settings page does ---------------------------------


def _takers() -> dict[tuple[str, str], Taker]:
    found: dict[tuple[str, str], Taker] = {
        (display.SECTION, "theme"): _theme,
        (display.SECTION, "text"): _text_size,
        (safety.SECTION, "region"): _region,
        (safety.SECTION, "gentle_notes"): _switch("gentle-note switch", safety.set_gentle_notes),
        (stars.SECTION, stars.KEY): _switch("key-moments switch", stars.set_bring_back),
        (idle.SECTION, idle.KEY): _idle_minutes,
        (reminders.SECTION, "time_zone"): _time_zone,
        (reminders.SECTION, "detailed"): _detailed,
    }
    for kind in IDS:
        found[(reminders.SECTION, kind)] = _reminder_time(kind)
    return found


def _theme(held: Store, value: object) -> None:
    if not isinstance(value, str) or value not in display.THEMES:
        raise _kept_as_was("look", value)
    display.save(held, value, display.load(held).text)


def _text_size(held: Store, value: object) -> None:
    if not isinstance(value, str) or value not in display.TEXT_SIZES:
        raise _kept_as_was("text size", value)
    display.save(held, display.load(held).theme, value)


def _region(held: Store, value: object) -> None:
    # "" is "none chosen": the clinic's or the computer's default place.
    if not isinstance(value, str) or (value and value.upper() not in regions()):
        raise _kept_as_was("place for the crisis lines", value)
    safety.set_region(held, value.upper())


def _switch(what: str, setter: Callable[[Store, bool], None]) -> Taker:
    def take(held: Store, value: object) -> None:
        if not isinstance(value, bool):
            raise _kept_as_was(what, value)
        setter(held, value)

    return take


def _idle_minutes(held: Store, value: object) -> None:
    longest = idle.clinic_longest()
    what = "quiet time before locking" if longest is None else "quiet time before signing out"
    if not isinstance(value, int) or isinstance(value, bool):
        raise _kept_as_was(what, value)
    if longest is not None and value > longest:
        raise Unusable(
            f"The export's {what} ({value} minutes) is longer than this clinic allows ({longest} at most), "
            "so yours stays as it was."
        )
    try:
        idle.save(held, value)
    except idle.IdleError:
        raise _kept_as_was(what, value) from None


def _reminder_time(kind: str) -> Taker:
    def take(held: Store, value: object) -> None:
        if not isinstance(value, str):
            raise _kept_as_was(f"time for the “{wording().kind(kind).label}” reminder", value)
        _reminders(held, f"time for the “{wording().kind(kind).label}” reminder", value, times={kind: value})

    return take


def _time_zone(held: Store, value: object) -> None:
    if not isinstance(value, str):
        raise _kept_as_was("time zone", value)
    _reminders(held, "time zone", value, zone=value)


def _detailed(held: Store, value: object) -> None:
    if not isinstance(value, bool):
        raise _kept_as_was("reminder wording switch", value)
    _reminders(held, "reminder wording switch", value, detailed=value)


def _reminders(
    held: Store, what: str, value: object, *, times: dict[str, str] | None = None, zone: str | None = None,
    detailed: bool | None = None,
) -> None:  # fmt: skip
    """Saved through the reminders' own save, which checks every time and the zone as the Settings page does."""
    now = reminders.load(held)
    kept = {kind: at.strftime("%H:%M") for kind, at in now.times.items()} | (times or {})
    if zone is None:
        zone = now.zone.key if now.zone_chosen else ""
    try:
        reminders.save(held, {kind: kept.get(kind, "") for kind in IDS}, zone, now.detailed if detailed is None else detailed)
    except reminders.PreferenceError:
        raise _kept_as_was(what, value) from None
