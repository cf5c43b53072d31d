"""After a session: the prompts that fit it, each answer an entry, some answers actions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from afterglow.access import NotYours, PatientRequest
from afterglow.journal import actions as rules
from afterglow.journal import autosave as saving
from afterglow.journal import private
from afterglow.journal.answers import answer_prompt, answers_for
from afterglow.journal.models import Entry, IntegrationAction, Session
from afterglow.journal.views.actions import ActionForm, first_error
from afterglow.journal.views.intention import owned_session
from afterglow.journal.views.write import saved_json
from afterglow.prompts.library import Prompt
from afterglow.prompts.models import OwnPrompt
from afterglow.prompts.selection import PromptSet, prompts_for_session, with_own
from afterglow.safety.notes import offer_after_save
from afterglow.web.background import refused


@dataclass
class Row:
    """One prompt on the page, with what is saved or was just typed."""

    prompt: Prompt
    entry: Entry | None
    text: str
    actions: list[IntegrationAction] = field(default_factory=list)
    error: str = ""
    action_form: dict[str, str] | None = None
    action_error: str = ""
    sealed_answer: bool = False  # a clinic's private answer: not copied into an action (actions are not sealed)
    # The entry's uid, chosen now for an answer not yet saved, so autosave and retries update one entry.
    uid: uuid.UUID = field(default_factory=uuid.uuid4)


def _prompt_set(request: PatientRequest, session: Session) -> PromptSet:
    own = OwnPrompt.objects.filter(owner=request.patient).exclude(stage=OwnPrompt.Stage.INTENTION)
    return with_own(prompts_for_session(session.course, session.number), own)


ANSWER = "answer:"
LOST_PLACE = "This answer lost its place. Reload the page — your text is kept on this device."


def reflect(request: PatientRequest, session_id: int) -> HttpResponse:
    session = owned_session(request, session_id)
    prompt_set = _prompt_set(request, session)
    if request.method != "POST":
        return _render(request, session, prompt_set)
    typed = _typed_answers(request, prompt_set)
    if typed is None:
        messages.error(request, "That prompt is not part of this session's set any more; please pick one below.")
        return _render(request, session, prompt_set, status=400)
    # Every answer on the page is in the form, so saving one never drops what was typed in another.
    errors: dict[str, tuple[str, str]] = {}
    saved: list[str] = []
    pressed = request.POST.get("save") or request.POST.get("prompt", "")
    for prompt, text in typed:
        try:
            # One transaction (IMMEDIATE on SQLite) per answer: a background save of the same
            # prompt waits, so the two never make two entries.
            with transaction.atomic():
                if prompt.key == pressed or _answer_changed(request, session, prompt, text):
                    answer_prompt(request.patient, session, prompt, text)
                    saved.append(text)
        except ValidationError as exc:
            errors[prompt.key] = (text, exc.messages[0])
    if errors:
        kept = {p.key: (t, "") for p, t in typed} | errors
        return _render(request, session, prompt_set, typed=kept)
    messages.success(request, "Saved.")
    for text in saved:
        offer_after_save(request, text)
    return redirect(reverse("reflect", args=[session.pk]) + _anchor(request, prompt_set))


def _typed_answers(request: HttpRequest, prompt_set: PromptSet) -> list[tuple[Prompt, str]] | None:
    """(prompt, text) for each answer posted: `answer:<key>` fields, or the older `prompt` + `text` pair."""
    if "prompt" in request.POST:
        prompt = prompt_set.find(request.POST["prompt"])
        return None if prompt is None else [(prompt, request.POST.get("text", ""))]
    found: list[tuple[Prompt, str]] = []
    for name in request.POST:
        text = request.POST.get(name, "")
        if name.startswith(ANSWER):
            prompt = prompt_set.find(name.removeprefix(ANSWER))
            if prompt is None:
                return None
            found.append((prompt, text))
    return found


def _answer_changed(request: PatientRequest, session: Session, prompt: Prompt, text: str) -> bool:
    """Only new or changed answers become revisions; an untouched empty box is not an answer.

    The answer whose Save button was pressed always goes through, so an empty one gets its message.
    """
    entry = answers_for(request.patient, session).get(prompt.key)
    if entry is None:
        return bool(text.strip())
    return entry.text != saving.normalise(text)


def _anchor(request: HttpRequest, prompt_set: PromptSet) -> str:
    prompt = prompt_set.find(request.POST.get("save", "") or request.POST.get("prompt", ""))
    return f"#a-{prompt.slug}" if prompt else ""


@require_POST
def autosave(request: PatientRequest, session_id: int) -> JsonResponse:
    """One answer saved while it is typed (reflect.js via fieldsave.js), create-or-update by the uid the page chose."""
    session = owned_session(request, session_id)
    prompt = _prompt_set(request, session).find(request.POST.get("prompt", ""))
    uid = saving.parse_uid(request.POST.get("uid", ""))
    if prompt is None or uid is None:
        return refused(LOST_PLACE)
    owner = request.patient
    try:
        with transaction.atomic():
            existing = answers_for(owner, session).get(prompt.key)
            if existing is not None and saving.entry_for(owner, uid) is None:
                uid = existing.uid  # answered meanwhile (a plain Save, another tab): one entry per prompt
            saved = saving.autosave(owner, uid, request.POST.get("text", ""), session=session, prompt=prompt)
    except NotYours:
        return refused("There is no such answer.", 404)
    except saving.AutosaveError as error:
        return refused(error)
    return JsonResponse(saved_json(saved))


@require_POST
def make_action(request: PatientRequest, session_id: int) -> HttpResponse:
    session = owned_session(request, session_id)
    prompt_set = _prompt_set(request, session)
    entry = answers_for(request.patient, session).get(request.POST.get("prompt", ""))
    prompt = prompt_set.find(entry.prompt_id) if entry else None
    if entry is None or prompt is None or not prompt.action:
        messages.error(request, "Save an answer to that prompt first; then it can become an action.")
        return _render(request, session, prompt_set, status=400)
    form = ActionForm(request.POST)
    if not form.is_valid():
        typed = {"what": request.POST.get("what", ""), "due": request.POST.get("due", "")}
        return _render(request, session, prompt_set, action_typed={prompt.key: (typed, first_error(form))})
    rules.create_action(request.patient, form.cleaned_data["what"], form.cleaned_data["due"], entry=entry)
    messages.success(request, "Added to your actions. You can tick it off on the Actions page.")
    return redirect(reverse("reflect", args=[session.pk]) + f"#a-{prompt.slug}")


def _render(
    request: PatientRequest,
    session: Session,
    prompt_set: PromptSet,
    *,
    typed: dict[str, tuple[str, str]] | None = None,
    action_typed: dict[str, tuple[dict[str, str], str]] | None = None,
    status: int | None = None,
) -> HttpResponse:
    answers = answers_for(request.patient, session)
    by_entry: dict[int, list[IntegrationAction]] = {}
    for action in IntegrationAction.objects.filter(owner=request.patient, entry__in=list(answers.values())):
        by_entry.setdefault(action.entry_id, []).append(action)  # type: ignore[arg-type]
    groups = [
        {"group": g, "rows": [_row(p, answers, by_entry, typed or {}, action_typed or {}) for p in g.prompts]}
        for g in prompt_set.groups
    ]
    context: dict[str, Any] = {"session": session, "pack": prompt_set.pack, "groups": groups, "today": timezone.localdate()}
    failed = bool(typed or action_typed)
    return render(request, "journal/reflect/page.html", context, status=status or (422 if failed else 200))


def _row(
    prompt: Prompt,
    answers: dict[str, Entry],
    by_entry: dict[int, list[IntegrationAction]],
    typed: dict[str, tuple[str, str]],
    action_typed: dict[str, tuple[dict[str, str], str]],
) -> Row:
    entry = answers.get(prompt.key)
    text, error = typed.get(prompt.key, (entry.text if entry else "", ""))
    row = Row(prompt, entry, text, by_entry.get(entry.pk, []) if entry else [], error)
    if entry is not None:
        row.uid = entry.uid
    if prompt.key in action_typed:
        row.action_form, row.action_error = action_typed[prompt.key]
    elif entry is not None and prompt.action:
        # A short answer is usually already the action; a long one is a starting point to shorten.
        # Not a private answer in a clinic: it is sealed, an action is not, so its words stay out.
        row.sealed_answer = entry.private and private.applies()
        shown = "" if row.sealed_answer else entry.text.strip()
        row.action_form = {"what": shown if len(shown) <= rules.MAX_WHAT else "", "due": ""}
    return row
