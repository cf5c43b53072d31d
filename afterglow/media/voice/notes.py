"""What a person does with voice notes: add one, correct or accept its transcript, delete it."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from afterglow.access import NotYours
from afterglow.journal import capture
from afterglow.journal.entries import save_text
from afterglow.journal.models import Entry, Session
from afterglow.media.voice import audio, jobs
from afterglow.media.voice.models import VoiceNote


def add(
    owner: Any,
    data: bytes,
    *,
    session: Session | None = None,
    uid: uuid.UUID | None = None,
    answer_field: str = "",
    private: bool = False,
) -> tuple[VoiceNote, bool]:
    """Check the recording, store it with its (empty) entry, and queue its transcription.

    `private`: the entry is private from the start (in a clinic the recording is then stored sealed, `privacy.py`).

    Returns (note, created). The same uid sent twice (a retried upload) returns the first note.
    Raises audio.AudioError before anything is saved.
    """
    if uid is not None and (existing := _existing(owner, uid)) is not None:
        return existing, False
    checked = audio.check(data)
    try:
        note = _store(owner, data, checked, session=session, uid=uid or uuid.uuid4(), answer_field=answer_field, private=private)
    except IntegrityError:
        # The same upload arrived twice at once; the other one stored it.
        existing = _existing(owner, uid) if uid else None
        if existing is None:
            raise
        return existing, False
    jobs.enqueue(note)
    return note, True


def _existing(owner: Any, uid: uuid.UUID) -> VoiceNote | None:
    note = VoiceNote.objects.defer("audio").select_related("entry").filter(uid=uid).first()
    if note is not None and note.owner_id != owner.pk:
        raise NotYours(uid)
    return note


@transaction.atomic
def _store(
    owner: Any,
    data: bytes,
    checked: audio.Checked,
    *,
    session: Session | None,
    uid: uuid.UUID,
    answer_field: str = "",
    private: bool = False,
) -> VoiceNote:
    now = timezone.now()
    entry = Entry.objects.create(
        owner=owner, session=session, mode=Entry.Mode.VOICE, title=title_for(now), created_at=now, updated_at=now,
        private=private,
    )  # fmt: skip
    return VoiceNote.objects.create(
        owner=owner, entry=entry, uid=uid, audio=data, content_type=checked.content_type,
        size=len(data), seconds=checked.seconds, created_at=now,
        answer_field=answer_field if session is not None and answer_field in capture.voice_fields() else "",
    )  # fmt: skip


def title_for(when: Any) -> str:
    return f"Voice note, {timezone.localtime(when):%-d %B %H:%M}"


@transaction.atomic
def save_transcript(note: VoiceNote, text: str) -> bool:
    """The person's words replace the machine's (a new revision); from now on they are theirs."""
    changed = save_text(note.entry, text, allow_empty=True)
    accept(note)
    return changed


def accept(note: VoiceNote) -> None:
    if note.transcript_by != VoiceNote.Author.PERSON:
        note.transcript_by = VoiceNote.Author.PERSON
        VoiceNote.objects.filter(pk=note.pk).update(transcript_by=VoiceNote.Author.PERSON)


@transaction.atomic
def delete(note: VoiceNote, *, keep_text: bool) -> Entry | None:
    """Move the recording to the Trash; its transcript goes with it unless the person keeps it as a written entry."""
    from afterglow.trash import bin

    entry = note.entry
    if keep_text and entry.text.strip():
        bin.put(note)
        Entry.objects.filter(pk=entry.pk).update(mode=Entry.Mode.FREE, updated_at=timezone.now())
        return entry
    bin.put(entry)
    return None


def audio_slice(note_id: int, start: int, length: int) -> bytes:
    """A byte range of the recording, cut by the database so the whole BLOB never crosses into Python."""
    from django.db.models import BinaryField
    from django.db.models.functions import Substr

    row = VoiceNote.objects.filter(pk=note_id).annotate(part=Substr("audio", start + 1, length, output_field=BinaryField()))
    return bytes(row.values_list("part", flat=True).get())
