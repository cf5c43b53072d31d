"""The writing page, its autosave endpoint, and an entry on its own page."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from afterglow.access import NotYours, PatientRequest, owned_or_404
from afterglow.journal import autosave as saving
from afterglow.journal import timeline
from afterglow.journal.models import Entry, Session
from afterglow.prompts.library import Prompt
from afterglow.safety.notes import offer_after_save
from afterglow.web.background import refused

# The entry being written, so /write picks it up again after a closed tab.
OPEN_KEY = "writing_uid"
NO_PLACE = "That session or prompt is not in your journal, so the entry could not be linked to it. Your text is still here."


class NoSuchPlace(LookupError):
    pass


def _place(owner: Any, data: QueryDict) -> tuple[Session | None, Prompt | None]:
    """The session and prompt a new entry belongs to (`session=<id>`, `prompt=<pack/id>`), both optional."""
    try:
        session = saving.session_for(owner, data.get("session"))
    except Session.DoesNotExist:
        raise NoSuchPlace from None
    key = data.get("prompt", "")
    prompt = saving.find_prompt(owner, key) if key else None
    if key and prompt is None:
        raise NoSuchPlace
    return session, prompt


@require_http_methods(["GET", "POST"])
def write(request: PatientRequest) -> HttpResponse:
    if request.method == "POST":
        return _write_post(request)
    try:
        session, prompt = _place(request.patient, request.GET)
    except NoSuchPlace:
        raise Http404("no such session or prompt") from None
    if request.GET.get("new"):
        request.session.pop(OPEN_KEY, None)
    else:
        left_open = saving.open_entry(request.patient, request.session.get(OPEN_KEY))
        if left_open and _same_place(left_open, session, prompt):
            return _page(request, entry=left_open, continuing=True)
    return _page(request, session=session, prompt=prompt)


def _write_post(request: PatientRequest) -> HttpResponse:
    try:
        session, prompt = _place(request.patient, request.POST)
    except NoSuchPlace:
        return _page(
            request, uid=saving.parse_uid(request.POST.get("uid", "")), text=request.POST.get("text", ""),
            private=request.POST.get("private") == "on", error=NO_PLACE, status=400,
        )  # fmt: skip
    return _save_form(request, None, session=session, prompt=prompt)


def _same_place(entry: Entry, session: Session | None, prompt: Prompt | None) -> bool:
    return entry.session_id == (session.pk if session else None) and entry.prompt_id == (prompt.key if prompt else "")


@require_http_methods(["GET", "POST"])
def entry_edit(request: PatientRequest, entry_id: int) -> HttpResponse:
    entry = owned_or_404(Entry, request, pk=entry_id)
    if request.method == "POST":
        return _save_form(request, entry, session=entry.session, prompt=None)
    return _page(request, entry=entry)


def _save_form(request: PatientRequest, entry: Entry | None, *, session: Session | None, prompt: Prompt | None) -> HttpResponse:
    """The page without script: a plain form with a Save button."""
    uid = entry.uid if entry else (saving.parse_uid(request.POST.get("uid", "")) or uuid.uuid4())
    text = request.POST.get("text", "")
    private = request.POST.get("private") == "on"
    try:
        saved = saving.autosave(request.patient, uid, text, session=session, prompt=prompt, private=private,
                                editing=request.POST.get("editing", ""))  # fmt: skip
    except NotYours:
        raise Http404("no such entry") from None
    except saving.AutosaveError as error:
        return _page(
            request, entry=entry, session=session, prompt=prompt, uid=uid, text=text, private=private,
            error=str(error), status=error.status,
        )  # fmt: skip
    offer_after_save(request, saved.entry.text)
    if request.POST.get("then") == "finish":
        request.session.pop(OPEN_KEY, None)
        messages.success(request, "Saved.")
        return redirect("entry", entry_id=saved.entry.pk)
    _remember_open(request, saved.entry)
    messages.success(request, f"Saved at {timezone.localtime(saved.entry.updated_at):%H:%M}.")
    return redirect("entry_edit", entry_id=saved.entry.pk)


def _remember_open(request: HttpRequest, entry: Entry) -> None:
    if request.session.get(OPEN_KEY) != str(entry.uid):
        request.session[OPEN_KEY] = str(entry.uid)


def _page(
    request: HttpRequest,
    *,
    entry: Entry | None = None,
    session: Session | None = None,
    prompt: Prompt | None = None,
    uid: uuid.UUID | None = None,
    text: str | None = None,
    private: bool | None = None,
    continuing: bool = False,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "entry": entry,
        "uid": entry.uid if entry else (uid or uuid.uuid4()),
        # One visit to this page: its saves refine one version of the entry (see entries.save_text).
        "editing": uuid.uuid4().hex,
        "text": text if text is not None else (entry.text if entry else ""),
        "private": private if private is not None else bool(entry and entry.private),
        "session": entry.session if entry else session,
        "prompt_key": entry.prompt_id if entry else (prompt.key if prompt else ""),
        "prompt_text": entry.prompt_text if entry else (prompt.text if prompt else ""),
        "prompt_hint": prompt.hint if prompt else "",
        "continuing": continuing,
        "error": error,
        "max_chars": settings.ENTRY_MAX_CHARS,
        "action": reverse("entry_edit", args=[entry.pk]) if entry else reverse("write"),
    }
    return render(request, "journal/write/write.html", context, status=status)


@require_POST
def autosave(request: PatientRequest) -> JsonResponse:
    """Create-or-update by uid; answers JSON so the page can show 'Saved 12:03' or say why not."""
    owner = request.patient
    uid = saving.parse_uid(request.POST.get("uid", ""))
    if uid is None:
        return _refuse("This page lost track of its entry. Reload it — your text is kept on this device.")
    try:
        session, prompt = _place(owner, request.POST)
        saved = saving.autosave(owner, uid, request.POST.get("text", ""), session=session, prompt=prompt,
                                private=request.POST.get("private") in ("on", "true", "1"),
                                editing=request.POST.get("editing", ""))  # fmt: skip
    except NoSuchPlace:
        return _refuse(NO_PLACE)
    except NotYours:
        return _refuse("There is no such entry.", status=404)
    except saving.AutosaveError as error:
        return _refuse(str(error), status=error.status)
    _remember_open(request, saved.entry)
    return JsonResponse(saved_json(saved))


def _refuse(message: str, status: int = 400) -> JsonResponse:
    return refused(message, status)


def saved_json(saved: saving.Saved) -> dict[str, Any]:
    entry = saved.entry
    return {
        "ok": True,
        "uid": str(entry.uid),
        "id": entry.pk,
        "created": saved.created,
        "changed": saved.changed,
        "digest": saving.digest(entry.text),
        "private": entry.private,
        "saved_at": entry.updated_at.isoformat(),
        "saved_label": f"Saved {timezone.localtime(entry.updated_at):%H:%M}",
        "url": reverse("entry", args=[entry.pk]),
        "edit_url": reverse("entry_edit", args=[entry.pk]),
    }


@require_GET
def entry(request: PatientRequest, entry_id: int) -> HttpResponse:
    found = owned_or_404(Entry.objects.select_related("session"), request, pk=entry_id)
    item = timeline.Item(timeline.ENTRY, found.created_at, found)
    timeline.attach_pictures([item])
    context = {
        "entry": found, "revisions": found.revisions.count(), "digest": saving.digest(found.text),
        "pictures": item.pictures,
    }  # fmt: skip
    return render(request, "journal/write/entry.html", context)
