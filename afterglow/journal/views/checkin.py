"""Check-ins: thirty seconds, as often as you like; each keeps its time and can be corrected later."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from afterglow.access import PatientRequest, owned_or_404
from afterglow.journal import checkin_drafts
from afterglow.journal.checkins import save_checkin
from afterglow.journal.forms import CheckInForm
from afterglow.journal.models import CheckIn
from afterglow.lib import dates

RECENT = 10


def checkin(request: PatientRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, CheckInForm(request.POST), None)
    draft = checkin_drafts.values_of(request.patient)
    initial: dict[str, object] = dict(draft or {})
    if "day" in request.GET or not draft:
        # A link for a given day (the calendar) still brings the words back, for that day.
        initial.pop("time", None)
        initial["day"] = _day_param(request.GET.get("day"))
    return _page(request, CheckInForm(initial=initial), None, draft=draft)


def checkin_draft(request: PatientRequest) -> HttpResponse:
    """The check-in form as typed so far, saved in the background (formsave.js); no check-in is made."""
    if request.method != "POST":
        return redirect("checkin")
    checkin_drafts.keep(request.patient, request.POST)
    # Not "Saved": the check-in itself is made only by its button.
    label = f"Draft kept {timezone.localtime():%H:%M}; it becomes a check-in when you save it."
    return JsonResponse({"ok": True, "saved_label": label})


def checkin_draft_discard(request: PatientRequest) -> HttpResponse:
    if request.method == "POST":
        checkin_drafts.end(request.patient, request.POST.get("form_uid", ""))
        messages.success(request, "The check-in you had started is gone; the form is empty again.")
    return redirect("checkin")


def checkin_edit(request: PatientRequest, pk: int) -> HttpResponse:
    existing = _own_checkin(request, pk)
    if request.method == "POST":
        return _save(request, CheckInForm.for_checkin(existing, request.POST), existing)
    return _page(request, CheckInForm.for_checkin(existing), existing)


def _own_checkin(request: PatientRequest, pk: int) -> CheckIn:
    # Another patient's check-in is simply not there: 404.
    return owned_or_404(CheckIn, request, pk=pk)


def _save(request: PatientRequest, form: CheckInForm, existing: CheckIn | None) -> HttpResponse:
    if not form.is_valid():
        return _page(request, form, existing, status=400)
    values = {name: form.cleaned_data[name] for name in ("mood", "anxiety", "sleep_hours", "energy", "pain", "note")}
    saved = save_checkin(request.patient, form.cleaned_data["at"], checkin=existing, **values)
    if existing is None:
        checkin_drafts.end(request.patient, request.POST.get("form_uid", ""))
    messages.success(request, _saved_message(saved.at, created=existing is None))
    return redirect("home")


def _page(
    request: PatientRequest, form: CheckInForm, existing: CheckIn | None, status: int = 200, draft: dict[str, str] | None = None
) -> HttpResponse:
    owner = request.patient
    context = {
        "form": form,
        "checkin": existing,
        "draft": draft,
        "form_uid": checkin_drafts.new_form_uid(),
        "recent": CheckIn.objects.filter(owner=owner)[:RECENT],
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


def _saved_message(at: datetime, *, created: bool) -> str:
    local = timezone.localtime(at)
    which = "today" if local.date() == timezone.localdate() else f"{local:%A %-d %B}"
    return f"Check-in for {which} at {local:%H:%M} {'saved' if created else 'updated'}."
