"""The after-session curve: mood from the day before a session to day 7 after, one line per session.

Days are local calendar dates (check-ins are kept by date, sessions placed on
the date they started in the journal's time zone), and offsets are the number
of calendar days between the two dates, so a DST change or a late-evening
session never moves a check-in to the wrong day. Several check-ins on one day
count as their mean.

The rule for saying anything about a session (written out on the page too):
- a pre-session level: the mood on the day before, or failing that the mean
  of the check-ins on the three days before;
- check-ins on at least 4 of the days after (days 1–7), or on every one of
  them when the next session comes sooner than day 8.
"How long it stayed above" counts days from day 1 while the mood is higher
than the pre-session level; a day without a check-in ends the count, so the
number is never more than the check-ins show, and it stops at the next session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean

FIRST = -1
LAST = 7
FALLBACK_DAYS = 3
ENOUGH_AFTER = 4
SENTENCE_SESSIONS = 3


@dataclass(frozen=True)
class Mark:
    """A session placed on the calendar: its id, its number in the course, its local date."""

    pk: int
    number: int
    day: date


@dataclass(frozen=True)
class Curve:
    session: Mark
    points: dict[int, float]  # day offset → that day's mean mood
    baseline: float | None
    window: int  # how many days after (1..7) belong to this session before the next one
    lifted: int | None  # days from day 1 above the baseline; None when there is too little to say

    @property
    def enough(self) -> bool:
        return self.lifted is not None

    def at(self, offset: int) -> float | None:
        return self.points.get(offset)

    @property
    def offsets(self) -> range:
        return range(FIRST, LAST + 1)

    @property
    def cells(self) -> list[float | None]:
        return [self.points.get(k) for k in self.offsets]


def curves(sessions: Sequence[Mark], moods: dict[date, float]) -> list[Curve]:
    """One curve per session, in session order."""
    ordered = sorted(sessions, key=lambda s: (s.day, s.number))
    out: list[Curve] = []
    for i, session in enumerate(ordered):
        following = next((s.day for s in ordered[i + 1 :] if s.day > session.day), None)
        out.append(curve(session, moods, following))
    return out


def curve(session: Mark, moods: dict[date, float], next_session: date | None = None) -> Curve:
    points = {k: moods[d] for k in range(FIRST, LAST + 1) if (d := session.day + timedelta(days=k)) in moods}
    window = LAST if next_session is None else max(0, min(LAST, (next_session - session.day).days - 1))
    baseline = _baseline(session.day, moods)
    after = [k for k in range(1, window + 1) if k in points]
    if baseline is None or window == 0 or len(after) < min(ENOUGH_AFTER, window):
        return Curve(session, points, baseline, window, None)
    return Curve(session, points, baseline, window, _lifted(points, baseline, window))


def _baseline(day: date, moods: dict[date, float]) -> float | None:
    before = day - timedelta(days=1)
    if before in moods:
        return moods[before]
    found = [moods[d] for k in range(1, FALLBACK_DAYS + 1) if (d := day - timedelta(days=k)) in moods]
    return round(mean(found), 1) if found else None


def _lifted(points: dict[int, float], baseline: float, window: int) -> int:
    days = 0
    for k in range(1, window + 1):
        if k not in points or points[k] <= baseline:
            break
        days += 1
    return days


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def sentence(found: Sequence[Curve]) -> str:
    """One honest sentence about how long the lift lasted, newest session first; empty when nothing can be said."""
    known = sorted((c for c in found if c.lifted is not None), key=lambda c: c.session.day, reverse=True)
    if not known:
        return ""
    # The latest few, and the earliest as the course's starting point: a sentence, not a list of forty.
    known = known[:SENTENCE_SESSIONS] + ([known[-1]] if len(known) > SENTENCE_SESSIONS else [])
    parts: list[str] = []
    for i, c in enumerate(known):
        lifted = c.lifted or 0
        if i == 0:
            parts.append(
                f"After session {c.session.number} your mood stayed above your pre-session level for {_days(lifted)}"
                if lifted
                else f"After session {c.session.number} your mood was not above your pre-session level on the day after"
            )
        else:
            parts.append(f"after session {c.session.number}, " + (f"for {_days(lifted)}" if lifted else "not on the day after"))
    return "; ".join(parts) + "."


def sparse_sentence(found: Sequence[Curve]) -> str:
    """Which sessions have too few check-ins around them to say anything."""
    thin = [c.session.number for c in sorted(found, key=lambda c: c.session.number) if c.lifted is None]
    if not thin:
        return ""
    if len(thin) == len(found):
        return "There are not enough check-ins around your sessions yet to say how long a lift lasts."
    names = _numbers(thin)
    verb = "has" if len(thin) == 1 else "have"
    return f"{names} {verb} too few check-ins around {'it' if len(thin) == 1 else 'them'} to say."


def _numbers(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"Session {numbers[0]}"
    return "Sessions " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"
