"""What a phone kept while the computer was out of reach arrives here: a few words or a check-in.

Each item carries the id the phone gave it; sending it again (the answer was lost on the way) stores
nothing new: words by the entry's uid, a check-in because the same answers at the same moment are
one check-in. Voice notes go to the recorder's own upload (`/voice/upload`, same idea with its uid).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from afterglow.access import NotYours, PatientRequest
from afterglow.journal import checkins, entries
from afterglow.journal.models import Entry
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
