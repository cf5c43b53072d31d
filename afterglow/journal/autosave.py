"""Saving what a person writes while they write: create-or-update an entry by the uid the browser chose.

The browser picks the entry's uid before the first keystroke, so a save that is
retried (a lost response, a beacon sent while the tab closes, a draft pushed
again from the browser's storage) updates the same entry instead of making a
second one. Every changed text becomes a revision (see `entries.py`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from afterglow.access import NotYours, owned
from afterglow.journal.entries import TOO_LONG, create_entry, normalise, save_text
from afterglow.journal.models import Entry, Session
from afterglow.journal.private import Locked
from afterglow.lib.errors import UserError
from afterglow.prompts.library import PackError, Prompt, library
from afterglow.prompts.models import OWN_PACK, OwnPrompt

# Coming back to /write within this time continues the entry left open, so a
# closed tab or a crash never leaves someone facing an empty page.
OPEN_ENTRY_HOURS = 12


class AutosaveError(UserError, ValueError):
    """Text that cannot be saved (a ValueError too, as callers have long caught it)."""


@dataclass(frozen=True)
class Saved:
    entry: Entry
    created: bool
    changed: bool


def digest(text: str) -> str:
    """What the browser compares before it forgets its local copy: proof the server has this exact text."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def autosave(
    owner: Any,
    uid: uuid.UUID,
    text: str,
    *,
    session: Session | None = None,
    prompt: Prompt | None = None,
    private: bool | None = None,
    editing: str = "",
) -> Saved:
    """Create the entry `uid` with this text, or give it this text as a new revision.

    The session and prompt are fixed when the entry is created; `private` can change (None keeps it
    as it is: the reflect page has no such box, and refining an answer there must not un-mark it).
    `editing` marks one visit to the writing page: its saves make one version (see `entries.save_text`).
    """
    try:
        try:
            return _save(owner, uid, text, session=session, prompt=prompt, private=private, editing=editing)
        except IntegrityError:
            # Two saves of a brand-new entry raced (a beacon and a timer); the other one
            # created it, so this one is an update.
            return _save(owner, uid, text, session=session, prompt=prompt, private=private, editing=editing)
    except ValidationError as error:  # the text itself, checked once by entries.clean_text
        raise AutosaveError(error.messages[0], 413 if error.code == TOO_LONG else 400) from error
    except Locked as error:  # a sealed entry this request cannot open: the browser keeps its draft
        raise AutosaveError(error.message, error.status) from error


@transaction.atomic
def _save(
    owner: Any, uid: uuid.UUID, text: str, *, session: Session | None, prompt: Prompt | None, private: bool | None, editing: str
) -> Saved:
    entry = Entry.objects.select_for_update().filter(uid=uid).first()
    if entry is None:
        fields = _new_entry_fields(session, prompt)
        made = create_entry(owner, text, uid=uid, private=bool(private), editing=editing, **fields)
        return Saved(made, created=True, changed=True)
    if entry.owner_id != owner.pk:
        raise NotYours(uid)
    changed = save_text(entry, text, editing=editing)
    if private is not None and entry.private != private:
        entry.private = private
        entry.save(update_fields=["private"])
        changed = True
    return Saved(entry, created=False, changed=changed)


def _new_entry_fields(session: Session | None, prompt: Prompt | None) -> dict[str, Any]:
    fields: dict[str, Any] = {"session": session, "mode": Entry.Mode.FREE}
    if prompt is not None:
        fields.update(mode=Entry.Mode.GUIDED, prompt_id=prompt.key, prompt_text=prompt.text)
    return fields


def entry_for(owner: Any, uid: uuid.UUID) -> Entry | None:
    return owned(Entry, owner).filter(uid=uid).first()


def open_entry(owner: Any, uid: str | None, *, now: datetime | None = None) -> Entry | None:
    """The entry a person was last writing, if recent enough to pick up again."""
    parsed = parse_uid(uid or "")
    if parsed is None:
        return None
    entry = entry_for(owner, parsed)
    now = now or timezone.now()
    if entry is None or entry.updated_at < now - timedelta(hours=OPEN_ENTRY_HOURS):
        return None
    return entry


def parse_uid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw).strip())
    except ValueError:
        return None


def find_prompt(owner: Any, key: str) -> Prompt | None:
    """A prompt by its key (`pack/id`, or `own/<n>` for the person's own prompts)."""
    pack_id, _, prompt_id = key.strip().partition("/")
    if not prompt_id:
        return None
    if pack_id == OWN_PACK:
        own = owned(OwnPrompt, owner).filter(pk=prompt_id).first() if prompt_id.isdigit() else None
        return own.as_prompt() if own else None
    try:
        pack = library().get(pack_id)
    except PackError:
        return None
    return next((p for p in pack.prompts if p.id == prompt_id), None) if pack else None


def session_for(owner: Any, raw: str | None) -> Session | None:
    """The person's session with this id; None for an empty value. Raises Session.DoesNotExist otherwise."""
    if raw in (None, ""):
        return None
    if not str(raw).isdigit():
        raise Session.DoesNotExist(raw)
    return owned(Session, owner).get(pk=int(str(raw)))
