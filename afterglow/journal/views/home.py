"""Today: where the patient is in their course and what would help now."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from afterglow.journal.today import today


def home(request: HttpRequest) -> HttpResponse:
    now = today(request.patient)  # type: ignore[attr-defined]
    if now.course is None:
        return render(request, "journal/welcome.html")
    return render(request, "journal/home.html", {"today": now})
