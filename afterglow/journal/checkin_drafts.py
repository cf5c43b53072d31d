"""A check-in begun and not yet saved, kept on the server so the note survives a closed tab.

The draft holds the form's values exactly as typed (strings, as the form posts them):
it is put back into the form as its initial values and checked only when the person
saves the check-in. One draft per owner; saving a new check-in or discarding ends it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from afterglow.journal.checkins import FIELDS, NOTE_MAX_CHARS
from afterglow.journal.models import CheckInDraft

DRAFT_FIELDS = (*FIELDS, "day", "time")
# Generous for the note (the form refuses longer ones when saved, with the words still shown);
# the other fields are a number, a day or a time.
MAX_CHARS = {"note": NOTE_MAX_CHARS * 2}
SHORT_MAX_CHARS = 32


def values_from(data: Any) -> dict[str, str]:
    values = {}
    for name in DRAFT_FIELDS:
        value = str(data.get(name, "") or "")
        values[name] = value[: MAX_CHARS.get(name, SHORT_MAX_CHARS)]
    return values


def new_form_uid() -> str:
    """Names one opening of the check-in page, so its late background saves can be told apart."""
    return uuid.uuid4().hex


@transaction.atomic
def keep(owner: Any, data: Any) -> CheckInDraft:
    """The form as typed, unless that page's check-in was already saved or discarded."""
    form_uid = str(data.get("form_uid", ""))[:40]
    draft = CheckInDraft.objects.select_for_update().filter(owner=owner).first() or CheckInDraft(owner=owner)
    if form_uid and draft.ended_form == form_uid:
        return draft
    draft.values = values_from(data)
    draft.save()
    return draft


def values_of(owner: Any) -> dict[str, str] | None:
    """The draft's values, or None when there is none worth bringing back (nothing typed or tapped)."""
    draft = CheckInDraft.objects.filter(owner=owner).first()
    if draft is None:
        return None
    values = {name: value for name, value in draft.values.items() if name in DRAFT_FIELDS and value}
    return values if set(values) - {"day", "time"} else None


def end(owner: Any, form_uid: str = "") -> None:
    """The draft is done with (its check-in saved, or discarded); saves still on their way from that page are ignored."""
    CheckInDraft.objects.update_or_create(owner=owner, defaults={"values": {}, "ended_form": form_uid[:40]})
