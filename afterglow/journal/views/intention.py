"""Before a session: set intentions. After it: did the experience fit what was hoped?"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from afterglow.access import PatientRequest, owned_or_404
from afterglow.journal.answers import intentions_for, save_intentions, save_revisit, split_intentions
from afterglow.journal.models import Intention, Session
from afterglow.prompts.models import OwnPrompt
from afterglow.prompts.selection import PromptSet, intention_prompts, with_own
from afterglow.web import background


def owned_session(request: PatientRequest, session_id: int) -> Session:
    # Someone else's session is simply "not here": a 404, like one that does not exist.
    return owned_or_404(Session.objects.select_related("course"), request, pk=session_id)


def _prompt_set(request: PatientRequest) -> PromptSet:
    own = OwnPrompt.objects.filter(owner=request.patient, stage=OwnPrompt.Stage.INTENTION)
    return with_own(intention_prompts(), own)


def intention(request: PatientRequest, session_id: int) -> HttpResponse:
    session = owned_session(request, session_id)
    prompt_set = _prompt_set(request)
    prompts = list(prompt_set.prompts)
    matched, others = split_intentions(intentions_for(request.patient, session), prompts)
    if request.method != "POST":
        answers = {key: i.text for key, i in matched.items()}
        return _render_intention(request, session, prompt_set, answers, {i.pk: i.text for i in others}, others)
    answers = {p.key: request.POST.get(p.key, "") for p in prompts}
    other_text = {i.pk: request.POST.get(f"intention-{i.pk}", "") for i in others}
    try:
        save_intentions(request.patient, session, prompts, answers, other_text)
    except ValidationError as exc:
        if background.wanted(request):
            return background.refused(exc.messages[0])
        return _render_intention(request, session, prompt_set, answers, other_text, others, error=exc.messages[0])
    if background.wanted(request):
        return background.saved()
    messages.success(request, "Your intentions are saved. They will be here for you after the session.")
    return redirect("intention", session_id=session.pk)


def _render_intention(
    request: HttpRequest,
    session: Session,
    prompt_set: PromptSet,
    answers: dict[str, str],
    other_text: dict[int, str],
    others: list[Intention],
    error: str = "",
) -> HttpResponse:
    groups = [{"group": g, "rows": [(p, answers.get(p.key, "")) for p in g.prompts]} for g in prompt_set.groups]
    context: dict[str, Any] = {
        "session": session,
        "groups": groups,
        "others": [(i, other_text.get(i.pk, "")) for i in others],
        "error": error,
    }
    return render(request, "journal/intention/form.html", context, status=422 if error else 200)


def revisit(request: PatientRequest, session_id: int) -> HttpResponse:
    session = owned_session(request, session_id)
    intentions = intentions_for(request.patient, session)
    if request.method != "POST":
        rows = [(i, "" if i.fit is None else str(i.fit), i.revisit_note) for i in intentions]
        return _render_revisit(request, session, rows)
    fits = {i.pk: request.POST.get(f"fit-{i.pk}", "") for i in intentions}
    notes = {i.pk: request.POST.get(f"note-{i.pk}", "") for i in intentions}
    try:
        save_revisit(intentions, fits, notes)
    except ValidationError as exc:
        if background.wanted(request):
            return background.refused(exc.messages[0])
        rows = [(i, fits[i.pk], notes[i.pk]) for i in intentions]
        return _render_revisit(request, session, rows, error=exc.messages[0])
    if background.wanted(request):
        return background.saved()
    messages.success(request, "Saved. You can come back to this whenever you like.")
    return redirect("revisit", session_id=session.pk)


def _render_revisit(
    request: HttpRequest, session: Session, rows: list[tuple[Intention, str, str]], error: str = ""
) -> HttpResponse:
    fit_choices = [(str(value), label) for value, label in Intention.Fit.choices]
    context = {"session": session, "rows": rows, "fit_choices": fit_choices, "error": error}
    return render(request, "journal/intention/revisit.html", context, status=422 if error else 200)
