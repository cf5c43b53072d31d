"""Course review: every intention across the sessions, how it fitted and evolved; actions kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from afterglow.journal import actions as rules
from afterglow.journal.courses import current_course
from afterglow.journal.models import Course, IntegrationAction, Intention, Session
from afterglow.journal.views import background
from afterglow.prompts.answers import save_evolution


@dataclass
class Thread:
    """One intention prompt followed across the sessions of a course."""

    prompt_text: str
    items: list[tuple[Session, Intention]] = field(default_factory=list)


def intention_threads(sessions: list[Session]) -> list[Thread]:
    """Intentions grouped by the prompt they answer, in the order prompts first appear."""
    threads: dict[str, Thread] = {}
    for session in sessions:
        for intention in session.intentions.all():
            # Intentions without a prompt (typed on the CLI) each stand on their own.
            key = intention.prompt_id or f"free-{intention.pk}"
            thread = threads.setdefault(key, Thread(intention.prompt_text or "In your own words"))
            thread.items.append((session, intention))
    return list(threads.values())


def _course(request: HttpRequest) -> Course | None:
    course_id = request.GET.get("course", "")
    if course_id.isdigit():
        return get_object_or_404(Course, pk=int(course_id), owner=request.patient)  # type: ignore[attr-defined]
    return current_course(request.patient)  # type: ignore[attr-defined]


def _sessions(course: Course) -> list[Session]:
    actions = IntegrationAction.objects.order_by("done_at", "due", "created_at")
    return list(
        course.sessions.order_by("number").prefetch_related("intentions", Prefetch("actions", queryset=actions))  # type: ignore[attr-defined]
    )


def course_review(request: HttpRequest) -> HttpResponse:
    course = _course(request)
    if course is None:
        return render(request, "journal/review/course.html", {"course": None})
    sessions = _sessions(course)
    threads = intention_threads(sessions)
    if request.method != "POST":
        return _render(request, course, sessions, threads, {})
    intentions = [i for t in threads for _, i in t.items]
    notes = {i.pk: request.POST[f"evolution-{i.pk}"] for i in intentions if f"evolution-{i.pk}" in request.POST}
    try:
        save_evolution(intentions, notes)
    except ValidationError as exc:
        if background.wanted(request):
            return background.refused(exc.messages[0])
        return _render(request, course, sessions, threads, notes, error=exc.messages[0])
    if background.wanted(request):
        return background.saved()
    messages.success(request, "Your notes on how your intentions evolved are saved.")
    return redirect(f"{request.path}?course={course.pk}")


def _render(
    request: HttpRequest,
    course: Course,
    sessions: list[Session],
    threads: list[Thread],
    typed: dict[int, str],
    error: str = "",
) -> HttpResponse:
    for thread in threads:
        for _, intention in thread.items:
            intention.typed_evolution = typed.get(intention.pk, intention.evolution_note)  # type: ignore[attr-defined]
    tallies = [(s, rules.tally(list(s.actions.all())), list(s.actions.all())) for s in sessions]
    context: dict[str, Any] = {
        "course": course,
        "sessions": sessions,
        "threads": threads,
        "tallies": tallies,
        "kept": sum(t.kept for _, t, _ in tallies),
        "total": sum(t.total for _, t, _ in tallies),
        "error": error,
    }
    return render(request, "journal/review/course.html", context, status=422 if error else 200)


urlpatterns = [path("course/review", course_review, name="course_review")]
