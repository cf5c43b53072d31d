"""Starring and the Key moments page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from afterglow.access import PatientRequest, owned_or_404
from afterglow.journal.models import Capture, Entry
from afterglow.moments import stars
from afterglow.preferences.store import for_request


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else fallback)


def _on(request: HttpRequest) -> bool:
    # The button says what it wants ("1" star, "0" unstar), so a repeated tap changes nothing.
    return request.POST.get("on", "1") != "0"


@require_POST
def star_entry(request: PatientRequest, entry_id: int) -> HttpResponse:
    entry = owned_or_404(Entry, request, pk=entry_id)
    now = stars.set_star(request.patient, entry=entry, on=_on(request))
    messages.success(request, "Starred: it is among your key moments." if now else "No longer starred.")
    return _back(request, reverse("entry", args=[entry.pk]))


@require_POST
def star_answer(request: PatientRequest, capture_id: int, answer: str) -> HttpResponse:
    capture = owned_or_404(Capture, request, pk=capture_id)
    if answer not in stars.answer_steps():
        return render(request, "trash/missing.html", {"message": "There is no such answer to star."}, status=404)
    now = stars.set_star(request.patient, capture=capture, answer=answer, on=_on(request))
    messages.success(request, "Starred: it is among your key moments." if now else "No longer starred.")
    return _back(request, reverse("capture_summary", args=[capture.session_id]))


@require_GET
def key_moments(request: PatientRequest) -> HttpResponse:
    groups = stars.by_session(request.patient)
    return render(request, "moments/moments.html", {"groups": groups, "bring_back": stars.bring_back(for_request(request))})


@require_POST
def preference(request: HttpRequest) -> HttpResponse:
    on = request.POST.get("bring_back") == "on"
    stars.set_bring_back(for_request(request), on)
    messages.success(
        request, "Today will now and then bring back a key moment." if on else "Today will not bring back key moments."
    )
    return _back(request, reverse("key_moments"))
