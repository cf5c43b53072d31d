"""Voice note pages: record or upload, listen (with seeking), read and correct the transcript, delete."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from afterglow.access import NotYours, PatientRequest, owned_or_404
from afterglow.journal import autosave as saving
from afterglow.journal.models import Session
from afterglow.journal.private import Locked
from afterglow.lib.errors import UserError
from afterglow.media.voice import audio, jobs, notes, privacy
from afterglow.media.voice.models import VoiceNote
from afterglow.web.background import refused

NO_SESSION = "That session is not in your journal, so the recording could not be linked to it."
NO_FILE = "Choose a recording to upload first."
# An open-ended range (`bytes=N-`) is answered in pieces of this size; the player asks for more.
RANGE_PIECE = 1024 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Refused(UserError, ValueError):
    """A recording that cannot be taken in (a ValueError too, as callers have long caught it)."""


def _note(request: PatientRequest, note_id: int) -> VoiceNote:
    notes_of = VoiceNote.objects.defer("audio").select_related("entry", "entry__session")
    return owned_or_404(notes_of, request, pk=note_id)


def _received(request: PatientRequest) -> tuple[bytes, Session | None]:
    """The uploaded bytes and the session to link, or Refused with a message for the person."""
    if _content_length(request) > settings.MEDIA_MAX_UPLOAD_BYTES + 64 * 1024:
        raise Refused(audio.too_big_message(), 413)
    upload = request.FILES.get("audio")
    if upload is None:
        raise Refused(NO_FILE)
    if (upload.size or 0) > settings.MEDIA_MAX_UPLOAD_BYTES:
        raise Refused(audio.too_big_message(), 413)
    try:
        session = saving.session_for(request.patient, request.POST.get("session"))
    except Session.DoesNotExist:
        raise Refused(NO_SESSION) from None
    return upload.read(), session


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _add(request: PatientRequest) -> tuple[VoiceNote, bool]:
    data, session = _received(request)
    try:
        uid = saving.parse_uid(request.POST.get("uid", ""))
        answer = request.POST.get("answer", "")  # a capture answer's field name; anything else is ignored
        private = request.POST.get("private") in ("on", "true", "1")
        return notes.add(request.patient, data, session=session, uid=uid, answer_field=answer, private=private)
    except audio.AudioError as error:
        raise Refused(str(error)) from None
    except NotYours:
        raise Refused("There is no such recording.", 404) from None
    except Locked as error:  # private, and no key pair yet to seal it with: nothing was stored
        raise Refused(str(error), error.status) from None


@require_POST
def upload(request: PatientRequest) -> JsonResponse:
    """The recorder's upload (fetch). Retried uploads with the same uid return the same note."""
    try:
        note, created = _add(request)
    except Refused as error:
        return refused(error)
    return JsonResponse(
        {"ok": True, "id": note.pk, "uid": str(note.uid), "created": created, "url": reverse("voice_note", args=[note.pk]),
         "status_url": reverse("voice_status", args=[note.pk])},
        status=201 if created else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def new(request: PatientRequest) -> HttpResponse:
    """Record here, or upload a file with a plain form (works without script)."""
    session = _session_from(request)
    if request.method == "GET":
        return render(request, "media/voice/new.html", {"session": session})
    try:
        note, _ = _add(request)
    except Refused as error:
        return render(request, "media/voice/new.html", {"session": session, "error": str(error)}, status=error.status)
    messages.success(request, "Recording saved. The transcript is on its way.")
    return redirect("voice_note", note_id=note.pk)


def _session_from(request: PatientRequest) -> Session | None:
    raw = request.POST.get("session") if request.method == "POST" else request.GET.get("session")
    try:
        return saving.session_for(request.patient, raw)
    except Session.DoesNotExist:
        return None


@require_GET
def note_page(request: PatientRequest, note_id: int) -> HttpResponse:
    note = _note(request, note_id)
    locked = privacy.is_sealed(note) and privacy.key_of(note) is None  # after a reset without the recovery key
    return render(request, "media/voice/note.html", {"note": note, "partial": privacy.partial_of(note), "locked": locked})


@require_GET
def status(request: PatientRequest, note_id: int) -> JsonResponse:
    return JsonResponse(status_json(_note(request, note_id)))


def status_json(note: VoiceNote) -> dict[str, Any]:
    return {
        "status": note.status,
        "label": note.get_status_display(),
        "progress": note.progress,
        "finished": note.finished,
        "problem": note.problem,
        "text": note.entry.text if note.status == VoiceNote.Status.DONE else "",
        # While the job runs: the words of the pieces done so far, so the person reads them at once.
        "partial": privacy.partial_of(note) if note.status == VoiceNote.Status.RUNNING else "",
        "made_by": note.made_by,
        "remark": note.remark,
        "machine_made": note.machine_made,
    }


@require_POST
def transcript(request: PatientRequest, note_id: int) -> HttpResponse:
    """Save the corrected transcript (a new revision), or accept it as it is."""
    note = _note(request, note_id)
    if request.POST.get("then") == "accept":
        notes.accept(note)
        messages.success(request, "Transcript accepted as yours.")
        return redirect("voice_note", note_id=note.pk)
    text = request.POST.get("text", "")
    try:
        notes.save_transcript(note, text)
    except ValidationError as error:
        context = {"note": note, "error": error.messages[0], "text": text}
        return render(request, "media/voice/note.html", context, status=400)
    messages.success(request, "Transcript saved.")
    return redirect("voice_note", note_id=note.pk)


@require_POST
def retry(request: PatientRequest, note_id: int) -> HttpResponse:
    note = _note(request, note_id)
    try:
        if jobs.retry(note):
            messages.success(request, "Trying the transcription again.")
    except Locked as error:  # a private recording whose key this sign-in cannot open (after a reset)
        messages.error(request, str(error))
    return redirect("voice_note", note_id=note.pk)


@require_http_methods(["GET", "POST"])
def delete(request: PatientRequest, note_id: int) -> HttpResponse:
    note = _note(request, note_id)
    if request.method == "GET":
        return render(request, "media/voice/delete.html", {"note": note})
    kept = notes.delete(note, keep_text=request.POST.get("keep_text") == "on")
    if kept is not None:
        messages.success(request, "Recording deleted; its transcript stays as a written entry.")
        return redirect("entry", entry_id=kept.pk)
    messages.success(request, "Recording deleted.")
    return redirect("timeline")


@require_GET
def audio_file(request: PatientRequest, note_id: int) -> HttpResponse:
    """The recording, answering Range requests (206) so the player can seek."""
    note = _note(request, note_id)
    wanted = _byte_range(request.headers.get("Range", ""), note.size)
    if wanted is None:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{note.size}"
        return response
    start, end, partial = wanted
    body = privacy.audio_range(note, start, end, lambda offset, length: notes.audio_slice(note.pk, offset, length))
    if body is None:  # a private recording this request cannot open: never its sealed bytes as if they were sound
        return HttpResponse(privacy.LOCKED_AUDIO, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type=note.content_type, status=206 if partial else 200)
    response["Accept-Ranges"] = "bytes"
    if partial:
        response["Content-Range"] = f"bytes {start}-{end}/{note.size}"
    response["Content-Disposition"] = "inline"
    return response


def _byte_range(header: str, size: int) -> tuple[int, int, bool] | None:
    """(start, end inclusive, partial) for a Range header; None when it cannot be satisfied."""
    if not header:
        return 0, size - 1, False
    match = RANGE.match(header.strip())
    if match is None:
        return 0, size - 1, False  # a multi-range or odd header: send the whole recording
    first, last = match.groups()
    if first == "":
        if not last or int(last) == 0:
            return None
        start, end = max(0, size - int(last)), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else min(size - 1, start + RANGE_PIECE - 1)
    if start >= size or start > end:
        return None
    return start, end, True
