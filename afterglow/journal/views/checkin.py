"""The daily check-in: thirty seconds, one a day, any past day can be filled in or corrected."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from afterglow.journal.checkins import checkin_for, save_checkin
from afterglow.journal.forms import CheckInForm
from afterglow.journal.models import CheckIn
from afterglow.lib import dates

RECENT_DAYS = 7


def checkin(request: HttpRequest) -> HttpResponse:
    owner = request.patient  # type: ignore[attr-defined]
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            day = values.pop("day")
            _, created = save_checkin(owner, day, **values)
            messages.success(request, _saved_message(day, created))
            return redirect("home")
        status = 400
    else:
        day = _day_param(request.GET.get("day"))
        existing = checkin_for(owner, day)
        form = CheckInForm.for_checkin(existing) if existing else CheckInForm(initial={"day": day})
        status = 200
    context = {
        "form": form,
        "recent": CheckIn.objects.filter(owner=owner)[:RECENT_DAYS],
        "today_iso": timezone.localdate().isoformat(),
    }
    return render(request, "journal/checkin/form.html", context, status=status)


def _day_param(raw: str | None) -> date:
    """The day asked for in the link, when it is a real day a check-in can be about; otherwise today."""
    today = timezone.localdate()
    try:
        return dates.check_lived(date.fromisoformat(raw or ""), today)
    except ValueError:  # not a day, or DayOutOfRange
        return today


def _saved_message(day: date, created: bool) -> str:
    which = "today" if day == timezone.localdate() else f"{day:%A %-d %B}"
    return f"Check-in for {which} saved." if created else f"Check-in for {which} updated."


urlpatterns = [path("checkin", checkin, name="checkin")]
