"""The course and its sessions: set them up, and each session's page as the hub of what surrounds it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from afterglow.access import PatientRequest, owned_or_404
from afterglow.journal import capture, timeline
from afterglow.journal.courses import current_course
from afterglow.journal.forms import CourseForm, ReadingsForm, SessionForm
from afterglow.journal.models import Capture, Course, Session

SESSION_ENTRIES = 20


def course(request: PatientRequest) -> HttpResponse:
    owner = request.patient
    current = current_course(owner)
    if current is None:
        return _course_form(request, Course(owner=owner), template="journal/course/new.html")
    sessions = current.sessions.order_by("started_at", "id")
    others = Course.objects.filter(owner=owner).exclude(pk=current.pk)
    return render(request, "journal/course/detail.html", {"course": current, "sessions": sessions, "others": others})


def course_edit(request: PatientRequest) -> HttpResponse:
    current = current_course(request.patient)
    if current is None:
        return redirect("course")
    return _course_form(request, current, template="journal/course/edit.html", cancel=reverse("course"))


def course_new(request: PatientRequest) -> HttpResponse:
    """A further course (a booster series, a new clinic) becomes the current one."""
    owner = request.patient
    cancel = reverse("course") if current_course(owner) else ""
    return _course_form(request, Course(owner=owner), template="journal/course/new.html", cancel=cancel)


def _course_form(request: HttpRequest, instance: Course, *, template: str, cancel: str = "") -> HttpResponse:
    form = CourseForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        created = instance.pk is None
        form.save()
        messages.success(request, "Your course is set up. Add a session when you know its date." if created else "Saved.")
        return redirect("course")
    status = 400 if form.is_bound else 200
    return render(request, template, {"form": form, "course": instance, "cancel": cancel}, status=status)


def session_new(request: PatientRequest) -> HttpResponse:
    owner = request.patient
    current = current_course(owner)
    if current is None:
        messages.info(request, "First, a few words about your course; then you can add its sessions.")
        return redirect("course")
    return _session_form(request, Session(owner=owner, course=current))


def session_edit(request: PatientRequest, pk: int) -> HttpResponse:
    return _session_form(request, _own_session(request, pk))


def _session_form(request: HttpRequest, instance: Session) -> HttpResponse:
    form = SessionForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, f"Session {session.number} saved.")
        return redirect("session", pk=session.pk)
    status = 400 if form.is_bound else 200
    return render(request, "journal/session/form.html", {"form": form, "session": instance}, status=status)


def session(request: PatientRequest, pk: int) -> HttpResponse:
    s = _own_session(request, pk)
    return render(request, "journal/session/detail.html", _session_context(s, ReadingsForm(instance=s)))


def session_readings(request: PatientRequest, pk: int) -> HttpResponse:
    """Blood pressure and heart rate, entered on the session page; a slip is shown there with what was typed."""
    s = _own_session(request, pk)
    if request.method != "POST":
        return redirect("session", pk=s.pk)
    form = ReadingsForm(request.POST, instance=s)
    if not form.is_valid():
        s.refresh_from_db()  # the page shows the readings as saved, the form as typed
        return render(request, "journal/session/detail.html", _session_context(s, form), status=400)
    form.save()
    messages.success(request, "Readings saved.")
    return redirect(reverse("session", args=[s.pk]) + "#readings-title")


def _session_context(s: Session, readings_form: ReadingsForm) -> dict[str, Any]:
    return {
        "session": s,
        "readings_form": readings_form,
        "intentions": list(s.intentions.all()),
        "capture": _capture_summary(s),
        "capture_overall": capture.overall_word(Capture.objects.filter(session=s).first()),
        "entries": timeline.session_entries(s, SESSION_ENTRIES),
        "actions": list(s.actions.all()),
        "checkins": timeline.checkins_after(s),
        "upcoming": s.started_at > timezone.now(),
    }


def _own_session(request: PatientRequest, pk: int) -> Session:
    # Another patient's session is simply not there: 404, never 403.
    return owned_or_404(Session.objects.select_related("course"), request, pk=pk)


def _capture_summary(s: Session) -> list[capture.Answer]:
    saved = Capture.objects.filter(session=s).first()
    return [answer for answer in capture.summary(saved) if answer.answered] if saved else []
