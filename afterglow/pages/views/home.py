"""Today: where the patient is in their course and what would help now."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from afterglow.access import PatientRequest
from afterglow.journal import timeline
from afterglow.pages.today import same_until, today
from afterglow.web import unchanged


def home(request: PatientRequest) -> HttpResponse:
    on = timezone.localdate()
    marks = timeline.Sessions.of(request.patient)  # one read of the sessions for the facts and the key
    now = today(request.patient, on, marks)
    if now.course is None:
        return render(request, "journal/welcome.html")

    def parts() -> tuple[str, str]:
        # Nothing of the request goes in (no form token, no nonce): the same HTML serves every view until
        # the journal changes, the day turns or a session begins.
        context = {"today": now}
        return render_to_string("journal/_home_where.html", context), render_to_string("journal/_home_rest.html", context)

    where, rest = unchanged.kept(("pages.home", *same_until(request.patient, on, marks)), parts)
    return render(request, "journal/home.html", {"today": now, "where": where, "rest": rest})
