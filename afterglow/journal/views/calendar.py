"""The calendar: a month at a glance, and each day's writing and check-ins one tap away."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from afterglow.access import PatientRequest
from afterglow.journal import calendar, timeline
from afterglow.journal.models import Session

NO_SUCH_MONTH = "There is no such month in the calendar. Months go from 1 to 12, years from 1900 to 2200."
NO_SUCH_DAY = "There is no such day in the calendar. Please check the day and the month."


def this_month(request: PatientRequest) -> HttpResponse:
    today = timezone.localdate()
    return month(request, today.year, today.month)


def month(request: PatientRequest, year: int, month: int) -> HttpResponse:
    if not calendar.valid_month(year, month):
        return _not_there(request, NO_SUCH_MONTH)
    shown = calendar.month_of(request.patient, year, month)
    context = {"month": shown, "weekdays": calendar.WEEKDAYS, "today": timezone.localdate()}
    return render(request, "journal/calendar/month.html", context)


def day(request: PatientRequest, year: int, month: int, day: int) -> HttpResponse:
    if not calendar.valid_month(year, month):
        return _not_there(request, NO_SUCH_DAY)
    try:
        shown = date(year, month, day)
    except (ValueError, OverflowError):
        return _not_there(request, NO_SUCH_DAY)
    owner = request.patient
    start, end = calendar.day_span(shown, shown)
    context = {
        "day": shown,
        "items": timeline.day_items(owner, start, end),
        "sessions": Session.objects.filter(owner=owner, started_at__gte=start, started_at__lt=end).order_by("started_at"),
        "previous": shown - timedelta(days=1),
        "next": shown + timedelta(days=1),
        "lived": shown <= timezone.localdate(),
        "is_today": shown == timezone.localdate(),
    }
    return render(request, "journal/calendar/day.html", context)


def _not_there(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "error.html", {"title": "Not in the calendar", "message": message}, status=404)


class TwoDigits:
    """A month or day written as two digits (/calendar/2025/03/07), read back as a number."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:02d}"
