"""What a phone kept while the computer was out of reach arrives here: a few words, a check-in, or
an answer to a session's quick capture.

Each item carries the id the phone gave it; sending it again (the answer was lost on the way) stores
nothing new: words by the entry's uid, a check-in because the same answers at the same moment are
one check-in, a capture answer because it sets its step's answer (or adds words already there once).
Voice notes go to the recorder's own upload (`/voice/upload`, same idea with its uid).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse, QueryDict
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from afterglow.access import NotYours, PatientRequest
from afterglow.journal import capture, checkins, entries
from afterglow.journal.models import Entry, Session
from afterglow.lib.errors import UserError

MAX_ITEM_BYTES = 2 * 1024 * 1024


class Unusable(UserError, ValueError):
    """An item from the phone's outbox that cannot be stored; the message is for the person (400)."""


def _uid(raw: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise Unusable("This item has no usable id.") from None


def _made_at(raw: Any) -> datetime:
    """When the phone kept it (the phone's clock); never later than now, as a check-in cannot be."""
    try:
        made = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise Unusable("This item has no usable time.") from None
    if timezone.is_naive(made):
        made = timezone.make_aware(made)
    return min(made, timezone.now()).replace(microsecond=0)


def _number(fields: dict[str, Any], name: str, *, required: bool = False) -> int | None:
    raw = str(fields.get(name, "")).strip()
    if not raw:
        if required:
            raise Unusable(f"The check-in has no {name}.")
        return None
    try:
        return int(raw)
    except ValueError:
        raise Unusable(f"The check-in's {name} is not a number.") from None


def store_words(owner: Any, uid: uuid.UUID, made: datetime, fields: dict[str, Any]) -> Entry:
    found = Entry.objects.filter(uid=uid).first()
    if found is not None and found.owner_id != owner.pk:
        raise NotYours(uid)
    if found is not None:
        return found
    return entries.create_entry(owner, str(fields.get("text", "")), uid=uid, created_at=made, updated_at=made)


def store_checkin(owner: Any, made: datetime, fields: dict[str, Any]) -> Any:
    return checkins.save_checkin(
        owner,
        made,
        mood=_number(fields, "mood", required=True) or 0,
        anxiety=_number(fields, "anxiety"),
        energy=_number(fields, "energy"),
        note=str(fields.get("note", "")),
    )


def _form(answers: Any) -> QueryDict:
    """The capture form's fields as the phone kept them (a value, or a list for repeated names)."""
    if not isinstance(answers, dict):
        raise Unusable("This answer holds nothing to store.")
    data = QueryDict(mutable=True)
    for name, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            data.appendlist(str(name), str(one))
    return data


def store_capture(owner: Any, fields: dict[str, Any]) -> Session:
    """An answer to a session's quick capture, stored as the capture page would have: its session, its step.

    `step` is "now" (how it was and one line) or a step's key. With `add`, the words are the person's
    own, typed on the offline page: added after what the answer already holds, never instead of it.
    """
    try:
        session = Session.objects.filter(owner=owner, pk=int(str(fields.get("session", "")))).first()
    except ValueError:
        session = None
    if session is None:
        raise Unusable("The session this answer belongs to is not in the journal.")
    data, key = _form(fields.get("answers")), str(fields.get("step", ""))
    step = None if key == "now" else capture.step_keyed(key)
    if key != "now" and step is None:
        raise Unusable("This answer belongs to a question the capture no longer asks.")
    if fields.get("add"):
        for name in step.text_fields if step else ("first_impression",):
            text = str(data.get(name, "")).strip()
            kept = capture.add_transcript(session, name, text, machine=False) if text else None
            if text and (kept is None or text not in (getattr(kept, name) or "")):
                raise Unusable("That answer is too long to add to the capture; the writing page has more room.")
        return session
    try:
        values = capture.parse_now(data) if step is None else capture.parse_step(step, data)
    except capture.CaptureError as problem:
        raise Unusable(str(problem)) from None
    capture.save_step(session, step, values, machine=capture.machine_marks(data))
    return session


def store(owner: Any, item: dict[str, Any]) -> str:
    """Store one item; returns the page where it now lives."""
    kind, fields = item.get("kind"), item.get("fields")
    if not isinstance(fields, dict):
        raise Unusable("This item holds nothing to store.")
    made = _made_at(item.get("made_at"))
    if kind == "words":
        return reverse("entry", args=[store_words(owner, _uid(item.get("id")), made, fields).pk])
    if kind == "checkin":
        day = store_checkin(owner, made, fields).day
        return reverse("calendar_day", args=[day.year, day.month, day.day])
    if kind == "capture":
        return reverse("capture_summary", args=[store_capture(owner, fields).pk])
    raise Unusable("Afterglow does not know this kind of item.")


@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Open and reachable: the token the phone's outbox sends with each item."""
    return JsonResponse({"ready": True, "csrf": get_token(request)})


@require_POST
def arrive(request: PatientRequest) -> JsonResponse:
    if request.content_type != "application/json":  # a form's body was already read as fields (CSRF)
        return JsonResponse({"stored": False, "message": "This item is not readable."}, status=415)
    if len(request.body) > MAX_ITEM_BYTES:
        return JsonResponse({"stored": False, "message": "This item is too large to send."}, status=413)
    try:
        item = json.loads(request.body)
        if not isinstance(item, dict):
            raise Unusable("This item is not readable.")
        url = store(request.patient, item)
    except Unusable as problem:
        return JsonResponse({"stored": False, "message": problem.message}, status=problem.status)
    except ValueError:
        return JsonResponse({"stored": False, "message": "This item is not readable."}, status=400)
    except ValidationError as problem:
        return JsonResponse({"stored": False, "message": " ".join(problem.messages)}, status=400)
    except NotYours:
        return JsonResponse({"stored": False, "message": "There is no such entry."}, status=404)
    return JsonResponse({"stored": True, "url": url}, status=201)
