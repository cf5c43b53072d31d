"""Today: where the patient is in their course and what would help now."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from afterglow.access import PatientRequest
from afterglow.pages.today import today


def home(request: PatientRequest) -> HttpResponse:
    now = today(request.patient)
    if now.course is None:
        return render(request, "journal/welcome.html")
    return render(request, "journal/home.html", {"today": now})
