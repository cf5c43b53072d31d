"""Check-ins as one row a day: the mean of however many check-ins a day holds.

A day is the check-in's own local date (`CheckIn.day`); sessions are placed
on the local date they started, so "day 0" is the day the person lived
through the session wherever the clock changed in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import Any

from afterglow.journal.models import CheckIn

# The numbers a day carries, in the order the chart and table show them.
MEASURES: tuple[tuple[str, str], ...] = (
    ("mood", "Mood"),
    ("anxiety", "Anxiety"),
    ("sleep_hours", "Sleep (hours)"),
    ("energy", "Energy"),
)


def optional_measures() -> tuple[tuple[str, str], ...]:
    """Pain (0–10) once check-ins have it; the table shows it, the chart keeps to the four above."""
    names = {f.name for f in CheckIn._meta.get_fields()}
    return (("pain", "Pain"),) if "pain" in names else ()


@dataclass(frozen=True)
class Day:
    day: date
    count: int
    values: dict[str, float | None]

    @property
    def mood(self) -> float | None:
        return self.values.get("mood")

    def cells(self, names: Iterable[str]) -> list[float | None]:
        return [self.values.get(name) for name in names]


def daily(owner: Any, start: date | None = None, end: date | None = None) -> list[Day]:
    """One `Day` per date with a check-in, oldest first, each value the day's mean (None when never answered)."""
    names = [name for name, _ in (*MEASURES, *optional_measures())]
    rows = CheckIn.objects.filter(owner=owner)
    if start is not None:
        rows = rows.filter(day__gte=start)
    if end is not None:
        rows = rows.filter(day__lte=end)
    return by_day(rows.order_by("day").values_list("day", *names), names)


def by_day(rows: Iterable[Sequence[Any]], names: Sequence[str]) -> list[Day]:
    """Rows of (day, value, value…) in day order, however many a day, as one mean per day and measure."""
    out: list[Day] = []
    for day, group in groupby(rows, key=lambda row: row[0]):
        found = list(group)
        values = {}
        for i, name in enumerate(names, start=1):
            answered = [float(row[i]) for row in found if row[i] is not None]
            values[name] = round(sum(answered) / len(answered), 1) if answered else None
        out.append(Day(day, len(found), values))
    return out


EARLIEST = date(1900, 1, 1)


def plausible(day: date, today: date | None = None) -> bool:
    """A day a life can hold. A journal written before dates were bounded may keep a session in year 1
    or 9999: no axis spans that, and a week after 31 December 9999 is not a date at all."""
    latest = date(min((today or date.today()).year + 10, 9989), 12, 31)
    return EARLIEST <= day <= latest


WEEKS_AFTER_DAYS = 120  # past four months a day a point is a smear, on a phone above all


def spans_long(days: Sequence[Day]) -> bool:
    return bool(days) and (days[-1].day - days[0].day).days > WEEKS_AFTER_DAYS


def weekly(days: Sequence[Day]) -> list[Day]:
    """Each week (Monday on) as one Day: the mean of its days' values; `count` is the check-ins in it."""
    out: list[Day] = []
    for monday, group in groupby(days, key=lambda d: d.day - timedelta(days=d.day.weekday())):
        found = list(group)
        values: dict[str, float | None] = {}
        for name in found[0].values:
            answered = [v for d in found if (v := d.values.get(name)) is not None]
            values[name] = round(sum(answered) / len(answered), 1) if answered else None
        out.append(Day(monday, sum(d.count for d in found), values))
    return out


def moods(days: Iterable[Day]) -> dict[date, float]:
    return {d.day: d.mood for d in days if d.mood is not None}
