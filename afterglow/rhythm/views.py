"""Reminders on the web: their settings, the .ics download, and today's list for browser notifications."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import available_timezones

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from afterglow.access import PatientRequest
from afterglow.preferences.store import for_request
from afterglow.rhythm import facts, ics, preferences, rules
from afterglow.rhythm.kinds import wording

BOOKED_AHEAD = timedelta(days=400)


def form_context(
    request: HttpRequest, prefs: preferences.Preferences | None = None, typed: dict[str, str] | None = None
) -> dict[str, object]:
    """What the reminders section of the Settings page shows: each kind, on or off, with its time."""
    prefs = prefs or preferences.load(for_request(request))
    rows = []
    for kind in wording().kinds.values():
        at = prefs.times.get(kind.id)
        shown = (typed or {}).get(kind.id, at.strftime("%H:%M") if at else kind.default_time)
        rows.append({"kind": kind, "on": at is not None if typed is None else kind.id in typed, "time": shown})
    zones = sorted(available_timezones())
    return {"reminder_rows": rows, "reminder_prefs": prefs, "zones": zones, "computer_zone": preferences.default_zone().key}


@require_GET
def calendar_file(request: PatientRequest) -> HttpResponse:
    prefs = preferences.load(for_request(request))
    today = timezone.now().astimezone(prefs.zone).date()
    # Sessions booked far ahead flow in too: a course can be planned months in advance.
    known = facts.gather(request.patient, today, today + BOOKED_AHEAD, prefs.zone)
    response = HttpResponse(ics.calendar(prefs, known, today, timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="afterglow-reminders.ics"'
    return response


@require_GET
def today_json(request: PatientRequest) -> JsonResponse:
    """The rest of today's reminders, for notifications while Afterglow is open (notify.js)."""
    prefs = preferences.load(for_request(request))
    now = timezone.now().astimezone(prefs.zone)
    known = facts.gather(request.patient, now.date(), now.date(), prefs.zone)
    upcoming = [r for r in rules.schedule(prefs, known, now.date(), now.date()) if r.at > now and not rules.answered(r, known)]
    words = wording()
    # Notifications show on a locked screen too: neutral words unless the person chose detailed ones.
    text = {kind.id: kind.line if prefs.detailed else words.neutral for kind in words.kinds.values()}
    items = [{"key": f"{r.kind}-{r.at:%Y%m%d%H%M}", "at": r.at.isoformat(), "text": text[r.kind]} for r in upcoming]
    return JsonResponse({"reminders": items})
