"""Entries from another journal app, added the same way whatever the source.

Each incoming entry gets an import key (a hash of the source, its id or date, and
its text) kept in `ImportRecord`, so importing the same file again adds nothing.
The journal has no tags or stars of its own yet: tags are written into the text
as `#tag` (search finds them) and both are kept in the import record as well.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from afterglow.journal.models import Entry, EntryRevision
from afterglow.lib.dates import EARLIEST
from afterglow.lib.errors import UserError
from afterglow.moments.stars import set_star
from afterglow.reports.formats import ImportResult
from afterglow.reports.models import ImportRecord
from afterglow.reports.progress import Progress

MAX_TEXT = 1_000_000  # characters in one entry: ten times a long book chapter
MAX_TITLE = 200
MAX_TAGS = 200


class BadEntry(UserError):
    pass


@dataclass
class Incoming:
    where: str  # "entry 3", "line 12": how the person finds it in their file
    source_id: str
    created_at: datetime
    title: str = ""
    text: str = ""
    tags: list[str] = field(default_factory=list)
    starred: bool = False
    photos: list[bytes] = field(default_factory=list)
    audios: list[bytes] = field(default_factory=list)


def key_for(source: str, *parts: str) -> str:
    digest = hashlib.sha256()
    for part in (source, *parts):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def tag_word(tag: str) -> str:
    """`@work`, `Work stuff` → `work`, `Work-stuff`: a word search can find after a `#`."""
    return re.sub(r"[^\w-]+", "-", tag.strip().lstrip("@#")).strip("-")


def checked_moment(moment: datetime, where: str) -> datetime:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    day = timezone.localtime(moment).date()
    if day < EARLIEST:
        raise BadEntry(f"{where}: the date {day} is before {EARLIEST.year}; please check the year")
    if day > timezone.localdate() + timedelta(days=1):
        raise BadEntry(f"{where}: the date {day} has not happened yet; please check the year")
    return moment


def parse_day_time(day: str, clock: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(f"{day}T{clock or '00:00'}")
    except (ValueError, TypeError):
        raise BadEntry(f"{where}: {str(day)[:20]!r} {str(clock)[:10]!r} is not a date and time this journal can hold") from None
    return checked_moment(moment, where)


def text_with_tags(text: str, tags: list[str]) -> str:
    words = [w for w in (tag_word(t) for t in tags) if w]
    missing = [w for w in dict.fromkeys(words) if not re.search(rf"(?<![\w#])#{re.escape(w)}(?![\w-])", text)]
    if not missing:
        return text
    return (text.rstrip() + "\n\n" if text.strip() else "") + " ".join(f"#{w}" for w in missing)


def add_entries(owner: Any, source: str, items: Iterable[Incoming], progress: Progress) -> ImportResult:
    """Every entry or none: the first bad one stops the import and nothing is kept."""
    added = {"entries": 0, "photos": 0, "recordings": 0}
    skipped = 0
    with transaction.atomic():
        for item in items:
            progress.tick()
            if len(item.text) > MAX_TEXT:
                raise BadEntry(f"{item.where} is longer than {MAX_TEXT:,} characters; please split it")
            if len(item.tags) > MAX_TAGS:
                raise BadEntry(f"{item.where} has more than {MAX_TAGS} tags")
            key = key_for(source, item.source_id, item.title, item.text)
            if ImportRecord.objects.filter(owner=owner, key=key).exists():
                skipped += 1
                continue
            title, text = item.title.strip(), item.text
            if len(title) > MAX_TITLE:
                title, text = "", f"{title}\n\n{text}"
            text = text_with_tags(text, item.tags)
            mode = Entry.Mode.FREE if text.strip() or not (item.photos or item.audios) else Entry.Mode.IMAGE
            entry = Entry.objects.create(
                owner=owner, title=title, text=text, mode=mode, created_at=item.created_at, updated_at=item.created_at
            )
            EntryRevision.objects.create(entry=entry, text=text, saved_at=item.created_at)
            for n, data in enumerate(item.photos, start=1):
                _add_photo(owner, entry, data, f"{item.where}, photo {n}")
                added["photos"] += 1
            for n, data in enumerate(item.audios, start=1):
                _add_audio(owner, entry if n == 1 else None, item, data, f"{item.where}, recording {n}")
                added["recordings"] += 1
            Entry.objects.filter(pk=entry.pk).update(updated_at=item.created_at)
            ImportRecord.objects.create(
                owner=owner, source=source, key=key, entry=entry, starred=item.starred, tags=[t[:100] for t in item.tags]
            )
            if item.starred:  # jrnl's and Day One's star: a key moment here
                set_star(owner, entry=entry, on=True)
            added["entries"] += 1
    return ImportResult(added=added, skipped=skipped)


def _add_photo(owner: Any, entry: Entry, data: bytes, where: str) -> None:
    from afterglow.media.visual.photos import PhotoError, process_photo
    from afterglow.media.visual.pictures import Place, add_photo

    try:
        photo = process_photo(data)
    except PhotoError as exc:
        raise BadEntry(f"{where}: {exc}") from None
    picture = add_photo(owner, photo, Place(entry=entry))
    type(picture).objects.filter(pk=picture.pk).update(created_at=entry.created_at, updated_at=entry.created_at)


def _add_audio(owner: Any, entry: Entry | None, item: Incoming, data: bytes, where: str) -> None:
    from afterglow.media.voice.audio import AudioError, check
    from afterglow.media.voice.models import VoiceNote

    try:
        checked = check(data)
    except AudioError as exc:
        raise BadEntry(f"{where}: {exc}") from None
    except Exception:  # PyAV raises its own errors for what is not audio at all
        raise BadEntry(f"{where}: this file is not a recording Afterglow can play") from None
    if entry is None:  # an entry holds one recording; a second one gets an entry of its own at the same time
        entry = Entry.objects.create(owner=owner, mode=Entry.Mode.VOICE, created_at=item.created_at, updated_at=item.created_at)
    VoiceNote.objects.create(
        owner=owner, entry=entry, audio=data, content_type=checked.content_type, size=len(data), seconds=checked.seconds,
        status=VoiceNote.Status.DONE, transcript_by=VoiceNote.Author.PERSON, engine="import", created_at=item.created_at,
    )  # fmt: skip
