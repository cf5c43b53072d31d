"""Quick capture right after a session: one question per screen, each answer saved at once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from afterglow.access import PatientRequest, owned_or_404
from afterglow.journal import capture as rules
from afterglow.journal.models import Capture, Session
from afterglow.preferences.store import for_request
from afterglow.safety.crisis import region_for
from afterglow.safety.preferences import chosen_region
from afterglow.web.background import refused


def _session(request: PatientRequest, session_id: int) -> Session:
    return owned_or_404(Session, request, pk=session_id)


def _capture(session: Session) -> Capture | None:
    return Capture.objects.filter(session=session).first()


@require_GET
def capture(request: PatientRequest, session_id: int) -> HttpResponse:
    """Start with the right-now screen; once something is captured, pick up at the first question unanswered."""
    session = _session(request, session_id)
    if _capture(session) is None:
        return redirect("capture_now", session_id=session.pk)
    return capture_more(request, session_id)


@require_GET
def capture_more(request: PatientRequest, session_id: int) -> HttpResponse:
    """Say more: the fuller steps, from the first one still unanswered."""
    session = _session(request, session_id)
    step = rules.first_unanswered(_capture(session))
    if step is None:
        return redirect("capture_summary", session_id=session.pk)
    return redirect("capture_step", session_id=session.pk, number=step.number)


@require_http_methods(["GET", "POST"])
def capture_now(request: PatientRequest, session_id: int) -> HttpResponse:
    """Right now, for someone drowsy: how it was (one tap), one line or a voice note, done."""
    session = _session(request, session_id)
    if request.method == "GET":
        return _render_now(request, session, rules.now_values(_capture(session)), rules.machine_of(_capture(session)))
    try:
        values = rules.parse_now(request.POST)
    except rules.CaptureError as error:
        if _wants_json(request):
            return refused(str(error))
        typed = {"overall": request.POST.get("overall", ""), "first_impression": request.POST.get("first_impression", "")}
        return _render_now(request, session, typed, rules.machine_marks(request.POST), error=str(error), status=400)
    rules.save_step(session, None, values, machine=rules.machine_marks(request.POST))
    if _wants_json(request):
        return JsonResponse({"ok": True, "saved_label": f"Saved {timezone.localtime():%H:%M}"})
    go = request.POST.get("go", "done")
    if go == "more":
        return redirect("capture_more", session_id=session.pk)
    if go == "later":
        messages.success(request, "Saved. Say more whenever you like, from this session's page or from Today.")
        return redirect("session", pk=session.pk)
    messages.success(request, "Saved. That is enough for now — rest. You can say more later, from here or from Today.")
    return redirect("capture_summary", session_id=session.pk)


def _render_now(
    request: HttpRequest, session: Session, current: dict[str, Any], machine: list[str], *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "session": session,
        "choices": rules.overall_choices(),
        "overall": "" if current.get("overall") is None else str(current.get("overall")),
        "line": current.get("first_impression") or "",
        "machine": machine,
        "error": error,
        "action": reverse("capture_now", kwargs={"session_id": session.pk}),
    }
    return render(request, "journal/capture/now.html", context, status=status)


@require_http_methods(["GET", "POST"])
def capture_step(request: PatientRequest, session_id: int, number: int) -> HttpResponse:
    session = _session(request, session_id)
    step = rules.step_at(number)
    if step is None:
        raise Http404("no such step")
    if request.method == "POST":
        return _save(request, session, step)
    found = _capture(session)
    return _render_step(request, session, step, {**rules.saved_values(found, step), rules.MACHINE: rules.machine_of(found)})


def _emergency(request: HttpRequest) -> str:
    return region_for(chosen_region(for_request(request))).emergency


def _wants_json(request: HttpRequest) -> bool:
    # capture.js saves each change with fetch and asks for JSON; a plain form post gets pages.
    return "application/json" in request.headers.get("Accept", "")


def _save(request: HttpRequest, session: Session, step: rules.Step) -> HttpResponse:
    try:
        values = rules.parse_step(step, request.POST)
        tap = request.POST.get("tap", "")
        if tap and step.kind == "intensities":
            values[step.list_name] = rules.tapped(step, values[step.list_name], tap)
    except rules.CaptureError as error:
        if _wants_json(request):
            return refused(str(error))
        current = {**rules.posted_values(step, request.POST), rules.MACHINE: rules.machine_marks(request.POST)}
        return _render_step(request, session, step, current, error=str(error), status=400)
    saved = rules.save_step(session, step, values, machine=rules.machine_marks(request.POST))
    if _wants_json(request):
        advice = _advice(rules.form_rows(step, rules.saved_values(saved, step), _emergency(request)))
        return JsonResponse({"ok": True, "saved_label": f"Saved {timezone.localtime():%H:%M}", "advice": advice})
    if tap:
        # Without script each tap on a side effect is a form post: back to the same list, where it was tapped.
        return redirect(reverse("capture_step", args=[session.pk, step.number]) + f"#chip-{tap}")
    for note in rules.summary_for(saved, step, _emergency(request)).notes:
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
    rows = rules.form_rows(step, current, _emergency(request))
    context = {
        "session": session,
        "step": step,
        "total": total,
        "is_last": step.number == total,
        "rows": rows,
        "chips": _chips(step, rows),
        "advice": _advice(rows),
        "machine": current.get(rules.MACHINE, []),
        "extra": rules.extra_text(step, current),
        "levels": [(str(n), word) for n, word in enumerate(rules.load().levels)],
        "error": error,
        "action": reverse("capture_step", kwargs={"session_id": session.pk, "number": step.number}),
    }
    return render(request, "journal/capture/step.html", context, status=status)


def _advice(rows: list[rules.Row]) -> list[dict[str, Any]]:
    """Advice under the side-effect chips, one note per kind and wording, warning signs first: {kind, labels, text}.

    Which effects bring which advice is safety/data/side_effects.toml's (through capture.py's rows).
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if row.advice_shown:
            groups.setdefault((row.advice_kind, row.advice), []).append(row.label)
    ordered = sorted(groups.items(), key=lambda item: item[0][0] != "warning")
    return [{"kind": kind, "labels": labels, "text": text} for (kind, text), labels in ordered]


def _chips(step: rules.Step, rows: list[rules.Row]) -> dict[str, list[dict[str, Any]]]:
    """Side effects as chips: the ones marked (with how strong), and the rest to tap."""
    if step.kind != "intensities":
        return {}
    words = rules.load().levels
    chips: dict[str, list[dict[str, Any]]] = {"marked": [], "unmarked": []}
    for row in rows:
        level = int(row.value) if row.value in ("1", "2", "3") else 0
        key = row.name.removeprefix(f"{step.list_name}-")
        chip = {"row": row, "key": key, "level": level, "word": words[level]}
        chips["marked" if level else "unmarked"].append(chip)
    return chips


@require_GET
def capture_summary(request: PatientRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    found = _capture(session)
    answers = rules.summary(found, _emergency(request))
    context = {
        "session": session,
        "answers": answers,
        "answered": sum(a.answered for a in answers),
        "total": len(answers),
        "capture": found,
        "overall": rules.overall_word(found),
        "said_more": rules.said_more(found),
        "machine_steps": {a.step.key for a in answers if set(a.step.text_fields) & set(rules.machine_of(found))},
        "has_intentions": session.intentions.exists(),
    }
    return render(request, "journal/capture/summary.html", context)
