"""Markdown: one file per entry with YAML front matter, sessions (with their capture) and check-ins as
readable pages, pictures and recordings beside the entries. Opens in Obsidian or any editor.

Front matter values are written as JSON scalars and lists, which YAML reads as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from django.utils import timezone

from afterglow.journal.models import Capture, CheckIn, Entry, Intention, Session
from afterglow.media.models import Picture, VoiceNote
from afterglow.media.voice import privacy as voice_privacy
from afterglow.reports.formats import EXPORTS, ExportFormat, ExportOptions, Target
from afterglow.reports.formats.afterglow_json import AUDIO_TYPES, IMAGE_TYPES
from afterglow.reports.progress import Progress
from afterglow.tags import store as tag_store
from afterglow.tags.models import Tag

TAG = re.compile(r"(?<![\w#&])#([\w][\w-]*)")
CAPTURE_TEXTS = [
    ("first_impression", "First impression"), ("saw_colours", "Colours"), ("saw_people", "People"),
    ("saw_places", "Places"), ("saw_symbols", "Symbols"), ("heard", "Heard"), ("felt", "Felt"), ("insights", "Insights"),
]  # fmt: skip


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _session_label(session: Session | None) -> str | None:
    if session is None:
        return None
    return f"Session {session.number}, {session.day:%Y-%m-%d}"


def entry_name(entry: Entry) -> str:
    stamp = _local(entry.created_at).strftime("%Y-%m-%d-%H%M")
    words = _slug(entry.title or entry.prompt_text or "")
    return f"entries/{stamp}-{words + '-' if words else ''}{str(entry.uid)[:8]}.md"


def front_matter(entry: Entry, given: list[str] | None = None) -> str:
    """`given`: the tags from the entry's tag field, after the #words of its text."""
    tags = list(dict.fromkeys([*TAG.findall(entry.text), *(given or [])]))
    fields = {
        "date": _local(entry.created_at).isoformat(timespec="minutes"),
        "session": _session_label(entry.session),
        "kind": entry.mode,
        "prompt": entry.prompt_text or None,
        "tags": tags,
        "private": entry.private,
    }
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _field_tags(owner: Any) -> dict[int, list[str]]:
    """entry id → the tags given in its field (a clinic's private entries: from their seal, for their patient)."""
    rows = Tag.objects.filter(owner=owner, from_text=False, entry__isnull=False).order_by("name")
    found: dict[int, list[str]] = {}
    for entry_id, name in rows.values_list("entry_id", "name"):
        found.setdefault(entry_id, []).append(name)
    return {**found, **tag_store.sealed_field_tags(getattr(owner, "pk", owner))}


def write(target: Target, owner: Any, options: ExportOptions, progress: Progress) -> Iterator[None]:
    entries = Entry.objects.filter(owner=owner).select_related("session").order_by("created_at", "pk")
    if not options.include_private:
        entries = entries.filter(private=False)
    # Which entries have media, once (ids only), so the many without cost no query.
    with_pictures = set(Picture.objects.filter(owner=owner).values_list("entry_id", flat=True))
    with_voice = set(VoiceNote.objects.filter(owner=owner).values_list("entry_id", flat=True))
    given = _field_tags(owner)
    for entry in entries.iterator(2000):
        body = [front_matter(entry, given.get(entry.pk)), ""]
        if entry.title:
            body.append(f"# {entry.title}\n")
        if entry.prompt_text:
            body.append(f"> {entry.prompt_text}\n")
        if entry.text:
            body.append(entry.text.rstrip() + "\n")
        pictures = Picture.objects.filter(entry=entry).order_by("pk") if entry.pk in with_pictures else []
        for picture in pictures:
            name = f"media/{picture.uid}.{IMAGE_TYPES.get(picture.content_type, 'bin')}"
            body.append(f"![{picture.caption or picture.alt}]({name})\n")
        note = VoiceNote.objects.filter(entry=entry).only("uid", "content_type").first() if entry.pk in with_voice else None
        if note is not None:
            body.append(f"[Recording]({_voice_name(note)})\n")
        _put(target, entry_name(entry), "\n".join(body))
        progress.tick()
        if progress.count % 500 == 0:
            yield
    yield from _media(target, owner, options)
    yield from _sessions(target, owner)
    yield from _checkins(target, owner, progress)


def _voice_name(note: VoiceNote) -> str:
    return f"media/{note.uid}.{AUDIO_TYPES.get(note.content_type, 'bin')}"


def _put(target: Target, name: str, text: str) -> None:
    with target.member(name) as out:
        out.write(text.encode())


def _media(target: Target, owner: Any, options: ExportOptions) -> Iterator[None]:
    # `sealed` and `owner`: what opening a clinic's private picture needs, read with it.
    pictures = Picture.objects.with_bytes().filter(owner=owner).only("uid", "content_type", "image", "sealed", "owner")
    notes = VoiceNote.objects.filter(owner=owner).only("uid", "owner_id", "content_type", "size", "audio", "audio_key")
    if not options.include_private:
        pictures, notes = pictures.filter(entry__private=False), notes.filter(entry__private=False)
    for picture in pictures.order_by("pk").iterator(50):
        with target.member(f"entries/media/{picture.uid}.{IMAGE_TYPES.get(picture.content_type, 'bin')}") as out:
            out.write(bytes(picture.image))
        yield
    for note in notes.order_by("pk").iterator(20):
        # A clinic's private recording is opened for its patient; one their sign-in cannot open stays out.
        recording = voice_privacy.playable(note)
        if recording is not None:
            with target.member(f"entries/{_voice_name(note)}") as out:
                out.write(recording)
        yield


def _sessions(target: Target, owner: Any) -> Iterator[None]:
    for session in Session.objects.filter(owner=owner).select_related("course").order_by("started_at", "pk").iterator(500):
        lines = [f"# Session {session.number}: {_local(session.started_at):%A %-d %B %Y, %H:%M}", ""]
        lines.append(f"- Course: {session.course}")
        for label, value in (("Route", session.get_route_display() if session.route else ""), ("Dose", session.dose),
                             ("Setting", session.setting), ("Clinician", session.clinician)):  # fmt: skip
            if value:
                lines.append(f"- {label}: {value}")
        for reading in session.readings:
            if reading.systolic is not None:
                lines.append(f"- Blood pressure {reading.label.lower()}: {reading.pressure} mmHg")
            if reading.heart_rate is not None:
                lines.append(f"- Heart rate {reading.label.lower()}: {reading.heart_rate} a minute")
        if session.notes:
            lines += ["", "## Notes", "", session.notes]
        intentions = list(Intention.objects.filter(session=session))
        if intentions:
            lines += ["", "## Intentions", ""]
            for intention in intentions:
                lines.append(f"- {intention.text}")
                if intention.fit is not None:
                    lines.append(f"  - How it fitted: {intention.get_fit_display()}")
                if intention.revisit_note:
                    lines.append(f"  - Looking back: {intention.revisit_note}")
        capture = Capture.objects.filter(session=session).first()
        if capture is not None:
            lines += ["", "## Right after", ""]
            if capture.overall is not None:
                lines.append(f"- How it was (1–5): {capture.overall}")
            for key, level in (capture.sensations or {}).items():
                lines.append(f"- {key.replace('_', ' ')}: {level}/3")
            for name in ("dissociation", "dreamlike"):
                if getattr(capture, name) is not None:
                    lines.append(f"- {name}: {getattr(capture, name)}/3")
            if capture.emotions:
                lines.append(f"- Emotions: {', '.join(map(str, capture.emotions))}")
            for key, level in (capture.signature or {}).items():
                lines.append(f"- {key.replace('_', ' ')}: {level}/3")
            for name, label in CAPTURE_TEXTS:
                if getattr(capture, name):
                    lines += ["", f"### {label}", "", getattr(capture, name)]
        _put(target, f"sessions/{session.day:%Y-%m-%d}-session-{session.number}-{session.pk}.md", "\n".join(lines) + "\n")
        yield


def _checkins(target: Target, owner: Any, progress: Progress) -> Iterator[None]:
    """One page per month, a line per check-in, written as the rows are read."""
    month: str | None = None
    out: IO[bytes] | None = None
    opened: Any = None
    try:
        for checkin in CheckIn.objects.filter(owner=owner).order_by("at", "pk").iterator(2000):
            at = _local(checkin.at)
            if f"{at:%Y-%m}" != month:
                if opened is not None:
                    opened.__exit__(None, None, None)
                month = f"{at:%Y-%m}"
                opened = target.member(f"checkins/{month}.md")
                out = opened.__enter__()
                out.write(f"# Check-ins, {at:%B %Y}\n\n".encode())
            assert out is not None
            parts = [f"mood {checkin.mood}/10"]
            for label, value, scale in (("anxiety", checkin.anxiety, "/10"), ("sleep", checkin.sleep_hours, " h"),
                                        ("energy", checkin.energy, "/10"), ("pain", checkin.pain, "/10")):  # fmt: skip
                if value is not None:
                    parts.append(f"{label} {value}{scale}")
            line = f"- **{at:%a %-d %b, %H:%M}**: {', '.join(parts)}"
            if checkin.note:
                line += "  \n  " + checkin.note.replace("\n", "\n  ")
            out.write((line + "\n").encode())
            progress.tick()
            if progress.count % 1000 == 0:
                yield
    finally:
        if opened is not None:
            opened.__exit__(None, None, None)


EXPORTS["md"] = ExportFormat(
    "md", "Markdown (one file per entry)",
    "A zip of Markdown files: each entry with its date, session, kind, prompt, tags and private mark at the top; "
    "sessions, captures and check-ins as readable pages; pictures and recordings beside the entries.",
    write,
)  # fmt: skip
