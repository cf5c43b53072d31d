"""A private entry's recording on a clinic's server: sealed, opened for its patient, lent to the transcriber.

Local mode needs none of this (the whole journal is one SQLCipher file). In a clinic, the
recording of an entry marked private is stored sealed under a key of its own (`sealing.py`):

* `audio` holds it sealed; `audio_key` holds its key sealed to the patient (`journal.private`):
  only the patient's own request (their password or recovery key) opens it, to play it, export
  it, or take the mark off again.
* While its transcription waits or runs, `handed` holds the same key wrapped under the
  transcriber's key (derived from the server's SECRET_KEY, which is not in the database), with
  the entry's title, so the worker can read the recording and seal the transcript in with the
  title. It is emptied as the job ends, done or failed; "Try again", the patient's own request,
  hands it over again.
* The words made out so far go in `sealed_partial`, under the recording's key: the patient's
  progress page opens them; the database never holds them in the clear.
* The finished transcript is the entry's text, sealed to the patient's public key as any
  private entry's words are (`journal.private`).
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from afterglow.journal import private
from afterglow.journal.entries import save_text
from afterglow.journal.models import Entry
from afterglow.lib.errors import UserError
from afterglow.media.voice import sealing
from afterglow.media.voice.models import VoiceNote

Status = VoiceNote.Status
WAITING = (Status.QUEUED, Status.RUNNING)
# For the transcriber, when it was not handed the key (or the server's key changed since): the patient's own
# "Try again" hands it over. Nothing is lost: the recording stays, sealed.
NOT_HANDED = (
    "This recording is in a private entry, so it is sealed, and the transcriber no longer holds its key. "
    "Press Try again: that hands the key over once more, until the transcript is made."
)
LOCKED_AUDIO = "This private recording is locked: only your password, or your recovery key, opens it."


class NotHanded(UserError):
    def __init__(self) -> None:
        super().__init__(NOT_HANDED, 409)


def _context(note: VoiceNote) -> str:
    return f"afterglow recording {note.uid} of {note.owner_id}"


def _key_context(note: VoiceNote) -> str:
    return f"afterglow key of recording {note.uid} of {note.owner_id}"


def _handed_context(note: VoiceNote) -> str:
    return f"afterglow recording {note.uid} of {note.owner_id}, lent to the transcriber"


def _partial_context(note: VoiceNote) -> str:
    return f"afterglow words made out so far of recording {note.uid} of {note.owner_id}"


def is_sealed(note: VoiceNote) -> bool:
    return bool(note.audio_key)


# ---- the patient's own requests ----------------------------------------------------------------


def key_of(note: VoiceNote) -> bytes | None:
    """The recording's key, when this request may open it (the patient's own); None otherwise or when not sealed."""
    if not note.audio_key:
        return None
    return private.open_blob(note.owner_id, note.audio_key, _key_context(note))


def _words(entry: Entry) -> tuple[str, str] | None:
    """The entry's (title, text) as stored, None when this request cannot open them."""
    if not entry.sealed:
        return entry.title, entry.text  # no words at all, or words from before sealing (sealed at the next sign-in)
    title, text = private.open_words(entry.uid, entry.owner_id, "", "", entry.sealed)
    return (title, text) if title or text else None  # sealed words are never both empty


def _handed(note: VoiceNote, key: bytes, entry: Entry) -> bytes:
    words = _words(entry) if entry.private else None
    if words is None:
        return b""  # the transcriber will ask for "Try again", which hands it over
    title, text = words
    lent = sealing.Handed(key, title, bool(text.strip()), sealing.entry_digest(entry.sealed))
    return sealing.hand(lent, _handed_context(note))


def seal(note: VoiceNote, entry: Entry) -> None:
    """Seal a recording stored in the clear (its entry is private): the object, not yet saved."""
    key = sealing.new_key()
    data = bytes(note.audio)
    note.audio = sealing.seal_audio(key, data, _context(note))
    note.size = len(data)
    note.audio_key = private.seal_blob(note.owner_id, key, _key_context(note))
    note.sealed_partial = sealing.seal_text(key, note.partial, _partial_context(note)) if note.partial else b""
    note.partial = ""
    note.handed = _handed(note, key, entry) if note.status in WAITING else b""


def unseal(note: VoiceNote) -> None:
    """Store the recording in the clear again (the private mark was taken off): the object, not yet saved."""
    key = key_of(note)
    if key is None:
        raise private.Locked()
    note.audio = sealing.open_audio(key, note.audio, note.size, _context(note))
    note.partial = sealing.open_text(key, note.sealed_partial, _partial_context(note)) if note.sealed_partial else ""
    note.audio_key, note.handed, note.sealed_partial = b"", b"", b""


def before_save(note: VoiceNote) -> None:
    """A new recording of a private entry (an upload, an import) goes in sealed."""
    if not private.applies() or not note._state.adding or note.audio_key:
        return
    entry = note.entry
    if entry.private:
        seal(note, entry)


def follow_entry(entry: Entry, was_private: bool | None) -> None:
    """After an entry is saved: marking it private seals its recording; un-marking opens it;
    a new version of a private entry's words is handed to a waiting transcription."""
    if not private.applies() or (not entry.private and not was_private):
        return
    found = VoiceNote.objects.filter(entry_id=entry.pk).values_list("pk", "audio_key", "status").first()
    if found is None:
        return
    pk, audio_key, status = found
    if entry.private and not audio_key:
        note = VoiceNote.objects.select_for_update().get(pk=pk)
        seal(note, entry)
        note.save(update_fields=["audio", "size", "audio_key", "sealed_partial", "partial", "handed"])
    elif not entry.private and audio_key:
        note = VoiceNote.objects.select_for_update().get(pk=pk)
        unseal(note)
        note.save(update_fields=["audio", "audio_key", "handed", "sealed_partial", "partial"])
    elif entry.private and status in WAITING:
        note = VoiceNote.objects.select_for_update().defer("audio").get(pk=pk)
        key = key_of(note)
        if key is not None:  # the person's own save: the transcriber learns the entry's new words
            VoiceNote.objects.filter(pk=pk).update(handed=_handed(note, key, entry))


def hand_over(note: VoiceNote) -> bytes | None:
    """For "Try again" by the patient: the transcriber's copy of a sealed recording's key (None: not sealed)."""
    if not is_sealed(note):
        return None
    key = key_of(note)
    if key is None:
        raise private.Locked(LOCKED_AUDIO)
    return _handed(note, key, note.entry)


def partial_of(note: VoiceNote) -> str:
    """The words made out so far, for the patient's page."""
    if not note.sealed_partial:
        return note.partial
    key = key_of(note)
    try:
        return sealing.open_text(key, note.sealed_partial, _partial_context(note)) if key else ""
    except sealing.Unreadable:
        return ""  # written under a key the entry has since been sealed again with: the next words replace it


def playable(note: VoiceNote) -> bytes | None:
    """The whole recording for its patient (an export); None when this request cannot open it."""
    if not is_sealed(note):
        return bytes(note.audio)
    key = key_of(note)
    try:
        return sealing.open_audio(key, note.audio, note.size, _context(note)) if key else None
    except sealing.Unreadable:
        return None


def audio_range(note: VoiceNote, start: int, end: int, cut: Any) -> bytes | None:
    """Plain bytes start..end (inclusive) of the recording; `cut(offset, length)` reads the stored bytes.

    A sealed recording is opened piece by piece, only the pieces the range covers. None without the key.
    """
    if not is_sealed(note):
        return bytes(cut(start, end - start + 1))
    key = key_of(note)
    if key is None:
        return None
    first, offset, length = sealing.span(start, end)
    try:
        plain = sealing.open_pieces(key, cut(offset, length), first, note.size, _context(note))
    except sealing.Unreadable:
        return None  # changed or cut in the database: never its bytes as if they were sound
    skip = start - first * sealing.PIECE
    return plain[skip : skip + end - start + 1]


def forget_in_trash(item: Any) -> None:
    """A recording put in the Trash while its job waited: its transcriber's copy of the key does not wait with it.

    Restored, its job asks for "Try again" (the patient's own request hands the key over again).
    """
    if not private.applies() or '"media.voicenote"' not in item.payload:
        return
    payload = json.loads(item.payload)
    lent = [o for o in payload["objects"] if o.get("model") == "media.voicenote" and o["fields"].get("handed")]
    for row in lent:
        row["fields"]["handed"] = ""
    if lent:
        item.payload = json.dumps(payload)
        type(item).objects.filter(pk=item.pk).update(payload=item.payload)


# ---- the transcriber ---------------------------------------------------------------------------


def lent(note: VoiceNote) -> sealing.Handed | None:
    return sealing.taken(note.handed, _handed_context(note)) if note.handed else None


def for_transcriber(note: VoiceNote) -> tuple[bytes, sealing.Handed | None]:
    """The recording's bytes, and the copy it was handed (None for a recording in the clear). Raises NotHanded."""
    if not is_sealed(note):
        return bytes(note.audio), None
    handed = lent(note)
    if handed is None:
        raise NotHanded()
    return sealing.open_audio(handed.key, note.audio, note.size, _context(note)), handed


def partial_columns(note: VoiceNote, handed: sealing.Handed | None, text: str) -> dict[str, Any]:
    if handed is None:
        return {"partial": text, "sealed_partial": b""}
    return {"partial": "", "sealed_partial": sealing.seal_text(handed.key, text, _partial_context(note))}


@transaction.atomic
def land_transcript(note: VoiceNote, handed: sealing.Handed, text: str) -> bool | None:
    """Put a sealed recording's transcript into its private entry, sealed with the title the transcriber was
    handed. False: the person wrote words there already (theirs, kept); None: the entry changed in a way the
    transcriber was not told of, so it cannot be written (the job asks for "Try again")."""
    entry = note.entry
    if handed.has_text:
        return False
    if entry.locked:
        if sealing.entry_digest(entry.sealed) != handed.entry:
            return None
        # The words the patient's own request handed over with the key: the entry's title, and no text yet.
        entry.title, entry.text, entry._private_locked = handed.title, "", False
    elif entry.text.strip():
        return False
    save_text(entry, text, allow_empty=True)
    return True
