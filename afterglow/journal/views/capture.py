"""Quick capture right after a session: one question per screen, each answer saved at once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from afterglow.journal import capture as rules
from afterglow.journal.models import Capture, Session
from afterglow.safety.crisis import region_for
from afterglow.safety.preferences import chosen_region


def _session(request: HttpRequest, session_id: int) -> Session:
    return get_object_or_404(Session, pk=session_id, owner=request.patient)  # type: ignore[attr-defined]


def _capture(session: Session) -> Capture | None:
    return Capture.objects.filter(session=session).first()


@require_GET
def capture(request: HttpRequest, session_id: int) -> HttpResponse:
    """Start, or pick up at the first question still unanswered."""
    session = _session(request, session_id)
    step = rules.first_unanswered(_capture(session))
    if step is None:
        return redirect("capture_summary", session_id=session.pk)
    return redirect("capture_step", session_id=session.pk, number=step.number)


@require_http_methods(["GET", "POST"])
def capture_step(request: HttpRequest, session_id: int, number: int) -> HttpResponse:
    session = _session(request, session_id)
    step = rules.step_at(number)
    if step is None:
        raise Http404("no such step")
    if request.method == "POST":
        return _save(request, session, step)
    return _render_step(request, session, step, rules.saved_values(_capture(session), step))


def _emergency() -> str:
    return region_for(chosen_region()).emergency


def _wants_json(request: HttpRequest) -> bool:
    # capture.js saves each change with fetch and asks for JSON; a plain form post gets pages.
    return "application/json" in request.headers.get("Accept", "")


def _save(request: HttpRequest, session: Session, step: rules.Step) -> HttpResponse:
    try:
        values = rules.parse_step(step, request.POST)
    except rules.CaptureError as error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": str(error)}, status=400)
        current = rules.posted_values(step, request.POST)
        return _render_step(request, session, step, current, error=str(error), status=400)
    saved = rules.save_step(session, step, values)
    if _wants_json(request):
        return JsonResponse({"ok": True, "saved_label": f"Saved {timezone.localtime():%H:%M}"})
    for note in rules.summary_for(saved, step, _emergency()).notes:
        # Without script the note beside the answer is not seen before the next page: repeat it there.
        say = messages.warning if note.kind == "warning" else messages.info
        say(request, f"{', '.join(note.labels)}: {note.text}")
    return _go_on(request, session, step)


def _go_on(request: HttpRequest, session: Session, step: rules.Step) -> HttpResponse:
    go = request.POST.get("go", "next")
    if go == "later":
        messages.success(request, "Saved. Come back whenever you like — the capture picks up where you stopped.")
        return redirect("home")
    if go == "back":
        return redirect("capture_step", session_id=session.pk, number=max(1, step.number - 1))
    if step.number < len(rules.steps()):
        return redirect("capture_step", session_id=session.pk, number=step.number + 1)
    return redirect("capture_summary", session_id=session.pk)


def _render_step(
    request: HttpRequest,
    session: Session,
    step: rules.Step,
    current: dict[str, Any],
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    total = len(rules.steps())
    context = {
        "session": session,
        "step": step,
        "total": total,
        "is_last": step.number == total,
        "rows": rules.form_rows(step, current, _emergency()),
        "extra": rules.extra_text(step, current),
        "levels": [(str(n), word) for n, word in enumerate(rules.load().levels)],
        "error": error,
        "action": reverse("capture_step", kwargs={"session_id": session.pk, "number": step.number}),
    }
    return render(request, "journal/capture/step.html", context, status=status)


@require_GET
def capture_summary(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    found = _capture(session)
    answers = rules.summary(found, _emergency())
    context = {
        "session": session,
        "answers": answers,
        "answered": sum(a.answered for a in answers),
        "total": len(answers),
        "capture": found,
        "has_intentions": session.intentions.exists(),
    }
    return render(request, "journal/capture/summary.html", context)


urlpatterns = [
    path("sessions/<int:session_id>/capture", capture, name="capture"),
    path("sessions/<int:session_id>/capture/summary", capture_summary, name="capture_summary"),
    path("sessions/<int:session_id>/capture/<int:number>", capture_step, name="capture_step"),
]
