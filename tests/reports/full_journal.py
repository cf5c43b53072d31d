"""A small journal holding something of every kind, for the export and import tests."""

from __future__ import annotations

import io
import math
import struct
import wave
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from PIL import Image

from afterglow.journal.models import Capture, CheckIn, CheckInDraft, Entry, EntryRevision, IntegrationAction, Intention
from afterglow.measures.models import MeasureResponse
from afterglow.media.models import Picture, VoiceNote
from afterglow.moments.models import Star
from afterglow.prompts.models import OwnPrompt
from afterglow.safety.models import SafetyPlan
from afterglow.tags.store import set_tags
from tests.journal.course_factories import at, course, entry, session

PRIVATE_CANARY = "canary-private-orchid"


def png(colour: str = "red", size: int = 40) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, "PNG")
    return out.getvalue()


def wav(seconds: float = 0.5) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        frames = b"".join(struct.pack("<h", int(12000 * math.sin(i / 8))) for i in range(int(16000 * seconds)))
        w.writeframes(frames)
    return out.getvalue()


def build(owner: Any) -> dict[str, Any]:
    today = timezone.localdate()
    start = today - timedelta(days=20)
    c = course(owner, start, title="Spring course", clinic="Harbour Clinic", programme="six-session")
    s1 = session(owner, c, start + timedelta(days=1), route="iv", dose="0.5 mg/kg over 40 min", systolic_before=128,
                 diastolic_before=82, heart_rate_before=71)  # fmt: skip
    s2 = session(owner, c, start + timedelta(days=4), route="nasal", dose="56 mg")
    Intention.objects.create(owner=owner, session=s1, text="Meet the fear with curiosity", fit=2, revisit_note="It softened")
    captured = Capture.objects.create(owner=owner, session=s1, first_impression="Warm light", sensations={"floating": 2},
                                      emotions=["calm", "sad"], dissociation=2, slept=False, overall=4)  # fmt: skip
    e1 = entry(owner, "The lake was still. #calm", when=at(start + timedelta(days=1), 15), session=s1, title="After")
    Star.objects.create(owner=owner, entry=e1)
    set_tags(e1, ["lake-days"])  # a tag from the field, beside #calm from the text
    Star.objects.create(owner=owner, capture=captured, answer="first_impression")
    EntryRevision.objects.create(entry=e1, text="The lake", saved_at=at(start + timedelta(days=1), 14))
    e2 = entry(owner, f"Only for me {PRIVATE_CANARY}", when=at(start + timedelta(days=2), 9), private=True)
    Star.objects.create(owner=owner, entry=e2)
    e3 = entry(owner, "Call my sister", when=at(start + timedelta(days=3), 20), prompt_id="three-stage/action-1",
               prompt_text="What will you do this week?", mode="guided", session=s2)  # fmt: skip
    IntegrationAction.objects.create(owner=owner, entry=e3, session=s2, what="Call my sister", due=today)
    IntegrationAction.objects.create(owner=owner, entry=e2, what="Walk by the sea")
    CheckIn.objects.create(owner=owner, at=at(start + timedelta(days=2), 8), mood=4, anxiety=6, sleep_hours=Decimal("6.5"),
                           energy=3, pain=2, note="Stiff neck")  # fmt: skip
    CheckIn.objects.create(owner=owner, at=at(start + timedelta(days=2), 19), mood=6)
    CheckInDraft.objects.create(owner=owner, values={"mood": "5", "note": "Half a thought about the lake"})
    MeasureResponse.objects.create(owner=owner, instrument="phq9", course=c, answers={str(n): 1 for n in range(1, 10)},
                                   started_at=at(start, 9), finished_at=at(start, 9, 5))  # fmt: skip
    MeasureResponse.objects.create(owner=owner, instrument="gad7", answers={"1": 2}, started_at=at(start, 10))
    OwnPrompt.objects.create(owner=owner, stage="recall", text="What colour was it?")
    SafetyPlan.objects.create(owner=owner, warning_signs="Not sleeping", reasons="My garden")
    drawn = at(start + timedelta(days=3), 21)
    drawing = Entry.objects.create(owner=owner, mode="drawing", created_at=drawn, updated_at=drawn)
    Picture.objects.create(owner=owner, entry=drawing, kind="drawing", content_type="image/png", width=40, height=40,
                           image=png("red"), thumb=png("red", 10), thumb_width=10, thumb_height=10,
                           strokes=b'{"s":[]}')  # fmt: skip
    Picture.objects.create(owner=owner, entry=e2, kind="photo", content_type="image/png", width=40, height=40,
                           image=png("blue"), thumb=png("blue", 10), thumb_width=10, thumb_height=10)  # fmt: skip
    voice = entry(owner, "Spoken words", when=at(start + timedelta(days=4), 18), mode="voice")
    VoiceNote.objects.create(owner=owner, entry=voice, audio=wav(), content_type="audio/wav", size=len(wav()), seconds=0.5,
                             status="done", transcript_by="person")  # fmt: skip
    return {"course": c, "sessions": [s1, s2], "private": e2, "start": start}


def day(d: date) -> str:
    return d.isoformat()
