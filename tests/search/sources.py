"""One canary word planted in each kind of writing search covers."""

from __future__ import annotations

from typing import Any

from afterglow.journal.entries import create_entry
from afterglow.journal.models import Capture, CheckIn, Entry, Intention
from afterglow.media.visual import pictures
from afterglow.media.visual.models import Picture
from afterglow.media.visual.photos import process_photo
from tests.journal.course_factories import course, days_ago, session
from tests.media.images import encoded, picture

CANARIES = {
    "entry": "quillwort",
    "prompt": "marramgrass",
    "voice": "bladderwrack",
    "drawing": "samphire",
    "photo": "sandpiper",
    "capture": "golden",
    "intention": "kittiwake",
    "revisit": "oystercatcher",
    "checkin": "lugworm",
}


def plant(owner: Any) -> dict[str, Any]:
    """Every kind of writing, each holding its canary; returns the objects by kind."""
    s = session(owner, course(owner), days_ago(3))
    made: dict[str, Any] = {"session": s}
    made["entry"] = create_entry(owner, f"Walked past the {CANARIES['entry']} by the pond")
    made["prompt"] = create_entry(
        owner,
        f"The {CANARIES['prompt']} bent in the wind",
        session=s,
        mode=Entry.Mode.GUIDED,
        prompt_id="p1",
        prompt_text="What stayed with you?",
    )
    made["voice"] = create_entry(owner, f"I said something about {CANARIES['voice']}", mode=Entry.Mode.VOICE)
    drawing_entry = Entry.objects.create(owner=owner, mode=Entry.Mode.DRAWING)
    photo = process_photo(encoded(picture(64, 48), "JPEG"))
    made["photo"] = pictures.add_photo(owner, photo, pictures.Place(session=s), f"A {CANARIES['photo']} on the shore")
    made["drawing"] = Picture.objects.create(
        owner=owner,
        entry=drawing_entry,
        kind=Picture.Kind.DRAWING,
        caption=f"{CANARIES['drawing']} in green",
        content_type="image/png",
        width=1,
        height=1,
        image=b"",
        thumb=b"",
        thumb_width=1,
        thumb_height=1,
    )
    made["capture"] = Capture.objects.create(owner=owner, session=s, first_impression=f"Everything was {CANARIES['capture']}")
    made["intention"] = Intention.objects.create(
        owner=owner, session=s, text=f"To meet the {CANARIES['intention']}", revisit_note=f"An {CANARIES['revisit']} came"
    )
    made["revisit"] = made["intention"]
    made["checkin"] = CheckIn.objects.create(owner=owner, day=days_ago(1), mood=6, note=f"Dug for {CANARIES['checkin']} all day")
    return made
