"""Check-ins: as many a day as the person likes, each at its own moment.

The hours right after a session are worth a few; an ordinary day may have one
or none. Saving creates a new check-in; changing one names it by its id.
`daily_means` and `checkins_between` are what charts and the calendar read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from afterglow.journal.models import CheckIn, noon_of
from afterglow.lib import dates

# The web form's limit too; the CLI's --note used to take any length.
NOTE_MAX_CHARS = 5000
FUTURE_TIME = "That time has not come yet today. Pick the time now or an earlier one."
# A clock a minute or two ahead of the server's (a phone) should not refuse "now".
CLOCK_SLACK = timedelta(minutes=5)
FIELDS = ("mood", "anxiety", "sleep_hours", "energy", "pain", "note")


def check_day(day: date, today: date | None = None) -> date:
    """A check-in describes a day that has been lived, so never one in the future (nor before 1900)."""
    try:
        return dates.check_lived(day, today or timezone.localdate())
    except dates.DayOutOfRange as exc:
        raise ValidationError(str(exc)) from None


def check_moment(at: datetime, now: datetime | None = None) -> datetime:
    """A check-in's moment: a lived day, and today no later than now."""
    now = now or timezone.now()
    check_day(timezone.localdate(at), timezone.localdate(now))
    if at > now + CLOCK_SLACK:
        raise ValidationError(FUTURE_TIME)
    return at


def checkin_moment(day: date, clock: time | None) -> datetime:
    """The moment a check-in is about: the time given, else now (today) or midday (an earlier day)."""
    now = timezone.localtime()
    if clock is None:
        return now if day == now.date() else noon_of(day)
    return timezone.make_aware(datetime.combine(day, clock))


def checkins_on(owner: Any, day: date) -> QuerySet[CheckIn]:
    """A day's check-ins, earliest first."""
    return CheckIn.objects.filter(owner=owner, day=day).order_by("at", "id")


def checkins_between(owner: Any, start: datetime, end: datetime) -> QuerySet[CheckIn]:
    """Check-ins with start <= at < end (aware datetimes), earliest first."""
    return CheckIn.objects.filter(owner=owner, at__gte=start, at__lt=end).order_by("at", "id")


def save_checkin(
    owner: Any,
    at: datetime,
    *,
    mood: int,
    anxiety: int | None = None,
    sleep_hours: Decimal | None = None,
    energy: int | None = None,
    pain: int | None = None,
    note: str = "",
    checkin: CheckIn | None = None,
) -> CheckIn:
    """A new check-in at `at`, or new answers (and moment) for `checkin`; checked like a form."""
    check_moment(at)
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError(f"This note is long for a check-in; please keep it under {NOTE_MAX_CHARS} characters.")
    values = {"mood": mood, "anxiety": anxiety, "sleep_hours": sleep_hours, "energy": energy, "pain": pain, "note": note}
    if checkin is None:
        # The same answers for the same moment again is a second tap on Save (or a resent
        # form), not a second check-in: several a day must not mean duplicates.
        same = CheckIn.objects.filter(owner=owner, at=at, **values).first()
        if same is not None:
            return same
    row = checkin or CheckIn(owner=owner)
    for name, value in values.items():
        setattr(row, name, value)
    row.at, row.day = at, timezone.localdate(at)
    # Model validators hold the ranges (mood 1–10, pain 0–10, sleep 0–24…); the CLI relies on them too.
    row.full_clean(exclude=["owner"], validate_constraints=False)
    row.save()
    return row


@dataclass(frozen=True)
class DayMeans:
    """The mean of each answer over one day's check-ins (None when no check-in that day answered it)."""

    mood: float
    anxiety: float | None
    sleep: float | None
    energy: float | None
    pain: float | None
    count: int


def daily_means(owner: Any, start: date, end: date) -> dict[date, DayMeans]:
    """{local day: DayMeans} for each day from start to end (both included) that has a check-in.

    One grouped query; days without a check-in are simply absent, never zero.
    """
    rows = (
        CheckIn.objects.filter(owner=owner, day__gte=start, day__lte=end)
        .values("day")
        .annotate(
            mood_mean=Avg("mood"),
            anxiety_mean=Avg("anxiety"),
            sleep_mean=Avg("sleep_hours"),
            energy_mean=Avg("energy"),
            pain_mean=Avg("pain"),
            n=Count("id"),
        )
        .order_by("day")
    )
    return {
        row["day"]: DayMeans(
            mood=float(row["mood_mean"]),
            anxiety=_float(row["anxiety_mean"]),
            sleep=_float(row["sleep_mean"]),
            energy=_float(row["energy_mean"]),
            pain=_float(row["pain_mean"]),
            count=row["n"],
        )
        for row in rows
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
