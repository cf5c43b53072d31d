"""A month at a glance: session days, each day's mood, and the days that hold writing.

Read in four queries whatever the journal's size: the month's check-ins
(daily means), its entries counted per local day, and its sessions.
Weeks start on Monday (ISO 8601). Days before 1900 or after 2200 are not
offered: no journal reaches them, and the CLI refuses them too.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connections
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from afterglow.journal.checkins import daily_means
from afterglow.journal.models import Entry, Session

FIRST_YEAR, LAST_YEAR = 1900, 2200
WEEKDAYS = [(name[:3], name) for name in stdlib_calendar.day_name]  # Monday first


@dataclass(frozen=True)
class SessionDay:
    pk: int
    number: int


@dataclass
class Day:
    date: date
    in_month: bool
    today: bool
    lived: bool = True  # today or earlier
    mood: float | None = None  # the mean of the day's check-ins
    checkins: int = 0
    writing: int = 0
    sessions: list[SessionDay] = field(default_factory=list)

    @property
    def mood_level(self) -> int | None:
        """The shown mood rounded half up to a whole step 1–10: which colour the day gets."""
        if self.mood is None:
            return None
        return int(Decimal(self.mood_text).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def mood_text(self) -> str:
        """'6', or '6.5' when several check-ins average between whole numbers (to a tenth, half up)."""
        if self.mood is None:
            return ""
        tenth = Decimal(str(self.mood)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{tenth:.0f}" if tenth == tenth.to_integral_value() else f"{tenth:.1f}"

    @property
    def linked(self) -> bool:
        """A day worth opening: one that has been lived, or a session still to come."""
        return self.in_month and (self.lived or bool(self.sessions))

    @property
    def label(self) -> str:
        """What a screen reader says for the day: '26 November, session 1, mood 5.5 out of 10 (…), writing'."""
        parts = [f"{self.date.day} {self.date:%B}"]
        parts += ["today"] if self.today else []
        parts += [f"session {s.number}" for s in self.sessions]
        if self.mood is not None:
            mean = f" (the mean of {self.checkins} check-ins)" if self.checkins > 1 else ""
            parts.append(f"mood {self.mood_text} out of 10{mean}")
        parts += ["writing"] if self.writing else []
        return ", ".join(parts)

    @property
    def href(self) -> str:
        return reverse("calendar_day", args=[self.date.year, self.date.month, self.date.day])


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]

    @property
    def title(self) -> str:
        return f"{self.first:%B %Y}"

    @property
    def previous(self) -> date | None:
        earlier = (self.first - timedelta(days=1)).replace(day=1)
        return earlier if earlier.year >= FIRST_YEAR else None

    @property
    def next(self) -> date | None:
        later = (self.first + timedelta(days=32)).replace(day=1)
        return later if later.year <= LAST_YEAR else None

    @property
    def empty(self) -> bool:
        return not any(d.mood is not None or d.writing or d.sessions for week in self.weeks for d in week if d.in_month)


def valid_month(year: int, month: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12


def month_of(owner: Any, year: int, month: int) -> Month:
    """The month's weeks (Monday to Sunday, with the neighbouring months' days at the edges)."""
    weeks_of_dates = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = weeks_of_dates[0][0], weeks_of_dates[-1][-1]
    today = timezone.localdate()
    days = {d: Day(d, d.month == month, d == today, d <= today) for week in weeks_of_dates for d in week}
    for day, means in daily_means(owner, start, end).items():
        days[day].mood, days[day].checkins = means.mood, means.count
    for day, count in writing_per_day(owner, start, end).items():
        days[day].writing = count
    for day, marks in sessions_per_day(owner, start, end).items():
        days[day].sessions = marks
    return Month(date(year, month, 1), [[days[d] for d in week] for week in weeks_of_dates])


def day_span(start: date, end: date) -> tuple[datetime, datetime]:
    """From the first local midnight to the midnight after `end`, as aware datetimes."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def writing_per_day(owner: Any, start: date, end: date) -> dict[date, int]:
    """How many entries each local day holds; an empty page of words (never written in) does not count.

    The database sorts each row of the span's index range into its day by comparing it with the
    days' local midnights (so a clock change is counted right): one grouped query, no per-row
    conversion in Python. Written as SQL around the ORM's own query because forty-two filtered
    COUNTs cost Django more to build than the database takes to run them.
    """
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    bounds = [timezone.make_aware(datetime.combine(d, time.min)) for d in [*days, end + timedelta(days=1)]]
    blank = Q(text="", mode__in=[Entry.Mode.FREE, Entry.Mode.GUIDED])
    rows = Entry.objects.filter(owner=owner, created_at__gte=bounds[0], created_at__lt=bounds[-1]).exclude(blank)
    inner, params = rows.values("created_at").order_by().query.sql_with_params()
    connection = connections[rows.db]
    adapt = connection.ops.adapt_datetimefield_value
    whens = " ".join(f"WHEN created_at < %s THEN {n}" for n in range(len(days)))
    sql = f"SELECT CASE {whens} END AS bucket, COUNT(*) FROM ({inner}) AS span GROUP BY bucket"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(adapt(b) for b in bounds[1:]), *params])
        return {days[bucket]: count for bucket, count in cursor.fetchall() if bucket is not None}


def sessions_per_day(owner: Any, start: date, end: date) -> dict[date, list[SessionDay]]:
    low, high = day_span(start, end)
    found: dict[date, list[SessionDay]] = {}
    rows = Session.objects.filter(owner=owner, started_at__gte=low, started_at__lt=high).order_by("started_at", "id")
    for pk, number, started in rows.values_list("id", "number", "started_at"):
        found.setdefault(timezone.localdate(started), []).append(SessionDay(pk, number))
    return found
