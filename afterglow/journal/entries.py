"""Creating and saving entries. Every save keeps a revision, so nothing typed is lost."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from afterglow.journal.models import Entry, EntryRevision

TOO_LONG = "too_long"


def normalise(text: str) -> str:
    # Browsers send CRLF from a plain form and LF from script, files and pipes may bring CR: one form
    # is stored, so the same words always compare (and hash) the same.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str, *, allow_empty: bool = False) -> str:
    """The one way text becomes an entry's (web, CLI, voice): line endings made one, then the rules every
    entry text meets, with messages meant for a person. `create_entry` and `save_text` call it; callers don't."""
    text = normalise(text)
    if len(text) > settings.ENTRY_MAX_CHARS:
        raise ValidationError(
            f"This entry is too long to save in one piece (over {settings.ENTRY_MAX_CHARS:,} characters). "
            "Please split it into two entries.",
            code=TOO_LONG,
        )
    if not allow_empty and not text.strip():
        raise ValidationError("There is nothing to save yet — write a few words first.")
    return text


@transaction.atomic
def create_entry(owner: Any, text: str, *, uid: uuid.UUID | None = None, editing: str = "", **fields: Any) -> Entry:
    entry = Entry(owner=owner, text=clean_text(text), **fields)
    if uid is not None:
        entry.uid = uid
    entry.save()
    EntryRevision.objects.create(entry=entry, text=entry.text, saved_at=entry.updated_at, editing=editing[:36])
    return entry


@transaction.atomic
def save_text(entry: Entry, text: str, *, allow_empty: bool = False, editing: str = "") -> bool:
    """Store a new text for an entry; returns False when nothing changed.

    `editing` marks one visit to the writing page: while it stays the same, the
    newest version is refined in place (autosave drafts are not versions of their own).
    """
    text = clean_text(text, allow_empty=allow_empty)
    if text == entry.text:
        return False
    entry.text = text
    entry.updated_at = timezone.now()
    entry.save(update_fields=["text", "updated_at"])
    editing = editing[:36]
    latest = entry.revisions.order_by("-saved_at", "-id").first() if editing else None
    if latest is not None and latest.editing == editing:
        latest.text, latest.saved_at = text, entry.updated_at
        latest.save(update_fields=["text", "saved_at"])
    else:
        EntryRevision.objects.create(entry=entry, text=text, saved_at=entry.updated_at, editing=editing)
    return True
