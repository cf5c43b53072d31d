"""When each reminder falls: plain functions over (preferences, journal facts, a clock).

No streaks and no catching up: a reminder whose moment has passed is never
brought back later, and one whose job is already done that day stays quiet.
Times are wall-clock times in the person's zone, so 20:00 stays 20:00 across a
change to or from summer time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from afterglow.rhythm.preferences import Preferences

# The quick capture is for after the session: the clinic watches a patient for at least two hours.
AFTER_SESSION = timedelta(hours=2)
REFLECT_DAYS = (1, 2)
MEASURE_EVERY = timedelta(days=14)
# A questionnaire filled in this close before a reminder already answers it.
MEASURE_FRESH = timedelta(days=3)


@dataclass(frozen=True)
class SessionFacts:
    id: int
    starts: datetime  # aware
    has_intention: bool = False
    has_capture: bool = False


@dataclass(frozen=True)
class Facts:
    """What the journal says, as far as reminders need it (no journal text)."""

    sessions: Sequence[SessionFacts] = ()
    last_measure: date | None = None
    checkin_days: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True, order=True)
class Reminder:
    at: datetime  # aware, in the person's zone
    kind: str
    session: int | None = None  # the id of the session it is about, when it is about one


def at(day: date, clock: time, prefs: Preferences) -> datetime:
    """`clock` on `day` in the person's zone; a time skipped by the clocks going forward moves on with them."""
    wall = datetime.combine(day, clock, tzinfo=prefs.zone)
    return wall.astimezone(UTC).astimezone(prefs.zone)


def schedule(prefs: Preferences, facts: Facts, first: date, last: date) -> list[Reminder]:
    """Every reminder that is on, from day `first` to day `last` (both included), in time order."""
    found = sorted({r for r in _all(prefs, facts, first, last) if first <= r.at.date() <= last})
    return _one_questionnaire_a_day(found)


def due(prefs: Preferences, facts: Facts, now: datetime, within: timedelta) -> list[Reminder]:
    """Reminders whose moment fell in the last `within` (up to `now`), minus those already answered."""
    now = now.astimezone(prefs.zone)
    start = now - within
    every = schedule(prefs, facts, start.date(), now.date())
    return [r for r in every if start < r.at <= now and not answered(r, facts)]


def answered(reminder: Reminder, facts: Facts) -> bool:
    """Whatever it would ask for is already in the journal."""
    day = reminder.at.date()
    if reminder.kind == "checkin":
        return day in facts.checkin_days
    if reminder.kind == "measures":
        return facts.last_measure is not None and timedelta(0) <= day - facts.last_measure < MEASURE_FRESH
    session = next((s for s in facts.sessions if s.id == reminder.session), None)
    if session is not None and reminder.kind == "intention":
        return session.has_intention
    if session is not None and reminder.kind == "capture":
        return session.has_capture
    return False


def _all(prefs: Preferences, facts: Facts, first: date, last: date) -> Iterator[Reminder]:
    times = prefs.times
    if "checkin" in times:
        yield from (Reminder(at(day, times["checkin"], prefs), "checkin") for day in _days(first, last))
    for session in facts.sessions:
        yield from _around(session, prefs)
    if "measures" in times:
        yield from _every_two_weeks(prefs, facts, first, last)


def _around(session: SessionFacts, prefs: Preferences) -> Iterator[Reminder]:
    times, day = prefs.times, session.starts.astimezone(prefs.zone).date()
    if "intention" in times:
        yield Reminder(at(day - timedelta(days=1), times["intention"], prefs), "intention", session.id)
    if "capture" in times:
        soonest = (session.starts + AFTER_SESSION).astimezone(prefs.zone)
        yield Reminder(max(at(day, times["capture"], prefs), soonest), "capture", session.id)
    if "reflect" in times:
        for offset in REFLECT_DAYS:
            yield Reminder(at(day + timedelta(days=offset), times["reflect"], prefs), "reflect", session.id)
    if "measures" in times:
        yield Reminder(at(day - timedelta(days=1), times["measures"], prefs), "measures", session.id)


def _every_two_weeks(prefs: Preferences, facts: Facts, first: date, last: date) -> Iterator[Reminder]:
    """Fourteen days after the last questionnaire, then every fourteen; from the first session if none yet."""
    starts = [s.starts.astimezone(prefs.zone).date() for s in facts.sessions]
    anchor = facts.last_measure or (min(starts) if starts else None)
    if anchor is None:
        return
    step = MEASURE_EVERY.days
    skip = max(0, (first - anchor).days // step)  # jump to the range instead of walking years of fortnights
    day = anchor + timedelta(days=step * max(1, skip))
    while day <= last:
        yield Reminder(at(day, prefs.times["measures"], prefs), "measures")
        day += MEASURE_EVERY


def _one_questionnaire_a_day(found: list[Reminder]) -> list[Reminder]:
    """The eve of a session can also be a fortnight on: one questionnaire reminder is enough."""
    seen: set[date] = set()
    kept = []
    for reminder in found:
        if reminder.kind == "measures":
            if reminder.at.date() in seen:
                continue
            seen.add(reminder.at.date())
        kept.append(reminder)
    return kept


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
