"""Correcting the shape of a journal: move a session to another course, merge two courses.

Editing a session's date, time, route or dose is the session form's work (numbers
follow the date on their own, see `Session.save`); deleting goes through the Trash.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from afterglow.access import PatientRequest, owned_or_404
from afterglow.journal.models import Course, Session
from afterglow.measures.models import MeasureResponse
from afterglow.trash import bin


def _chosen_course(owner: Any, raw: str, *, besides: int) -> Course | None:
    if not raw.isdigit():
        return None
    return Course.objects.filter(owner=owner, pk=int(raw)).exclude(pk=besides).first()


@require_http_methods(["GET", "POST"])
def session_move(request: PatientRequest, pk: int) -> HttpResponse:
    owner = request.patient
    found = owned_or_404(Session.objects.select_related("course"), request, pk=pk)
    courses = Course.objects.filter(owner=owner).exclude(pk=found.course_id)
    error = ""
    if request.method == "POST":
        target = _chosen_course(owner, request.POST.get("course", ""), besides=found.course_id)
        if target is not None:
            found.course = target
            found.save()
            messages.success(request, f"Moved to {target}; it is session {found.number} there, by date.")
            return redirect("session", pk=found.pk)
        error = "Please choose one of your other courses."
    context = {"session": found, "courses": courses, "error": error}
    return render(request, "trash/session_move.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def course_merge(request: PatientRequest, pk: int) -> HttpResponse:
    owner = request.patient
    found = owned_or_404(Course, request, pk=pk)
    courses = Course.objects.filter(owner=owner).exclude(pk=found.pk)
    error = ""
    if request.method == "POST":
        target = _chosen_course(owner, request.POST.get("into", ""), besides=found.pk)
        if target is not None:
            moved = merge(found, target)
            messages.success(
                request,
                f"{moved} session{'s' if moved != 1 else ''} moved into {target}, numbered by date. "
                "The emptied course's own details are in the Trash for 30 days.",
            )
            return redirect("course")
        error = "Please choose one of your other courses."
    context = {"course": found, "courses": courses, "error": error}
    return render(request, "trash/course_merge.html", context, status=400 if error else 200)


@transaction.atomic
def merge(source: Course, target: Course) -> int:
    """Move every session (and measure answers) of `source` into `target`; `source`, now empty, goes to the Trash."""
    sessions = list(source.sessions.order_by("started_at", "id"))
    for s in sessions:
        s.course = target
        s.save()
    MeasureResponse.objects.filter(course=source).update(course=target)
    if target.start_date > source.start_date:
        target.start_date = source.start_date
        target.save(update_fields=["start_date"])
    bin.put(source)
    return len(sessions)
