"""Daily check-ins: one a day, and saving again the same day updates it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from afterglow.journal.models import CheckIn
from afterglow.lib import dates

# The web form's limit too; the CLI's --note used to take any length.
NOTE_MAX_CHARS = 5000


def check_day(day: date, today: date | None = None) -> date:
    """A check-in describes a day that has been lived, so never one in the future (nor before 1900)."""
    try:
        return dates.check_lived(day, today or timezone.localdate())
    except dates.DayOutOfRange as exc:
        raise ValidationError(str(exc)) from None


def checkin_for(owner: Any, day: date) -> CheckIn | None:
    return CheckIn.objects.filter(owner=owner, day=day).first()


def save_checkin(
    owner: Any,
    day: date,
    *,
    mood: int,
    anxiety: int | None = None,
    sleep_hours: Decimal | None = None,
    energy: int | None = None,
    note: str = "",
) -> tuple[CheckIn, bool]:
    """Create the day's check-in, or replace its answers; returns (check-in, created)."""
    check_day(day)
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError(f"This note is long for a check-in; please keep it under {NOTE_MAX_CHARS} characters.")
    values = {"mood": mood, "anxiety": anxiety, "sleep_hours": sleep_hours, "energy": energy, "note": note}
    checkin = CheckIn(owner=owner, day=day, **values)
    # Model validators hold the ranges (mood 1–10, sleep 0–24…); the CLI relies on them too.
    checkin.full_clean(exclude=["owner"], validate_unique=False, validate_constraints=False)
    return CheckIn.objects.update_or_create(owner=owner, day=day, defaults=values)
