"""Saving, finding and deleting drawings and photos. Views and the CLI parse; this decides and stores.

Every save is one transaction: the entry (when the picture makes its own) and
the picture with all its bytes land together or not at all.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from afterglow.access import NotYours, owned
from afterglow.journal import private
from afterglow.journal.models import Entry, Session
from afterglow.lib.errors import UserError
from afterglow.media.visual import drawings, sealing
from afterglow.media.visual.models import Picture
from afterglow.media.visual.photos import Photo

CAPTION_MAX = 1000
OWN_MODES: dict[str, str] = {Picture.Kind.DRAWING: Entry.Mode.DRAWING, Picture.Kind.PHOTO: Entry.Mode.IMAGE}


class NoSuchPlace(LookupError):
    """The session or entry named is not in this journal."""


class CaptionError(UserError, ValueError):
    pass


@dataclass(frozen=True)
class Place:
    """Where a new picture goes: into an existing entry, or a new entry of its own (maybe about a session)."""

    session: Session | None = None
    entry: Entry | None = None

    @property
    def about(self) -> Session | None:
        return self.entry.session if self.entry else self.session


def find_place(owner: Any, session_id: str | int | None = None, entry_id: str | int | None = None) -> Place:
    """The place named by ids from a form or the command line; NoSuchPlace for anything not this person's."""
    entry = _owned(Entry.objects.select_related("session"), owner, entry_id)
    session = _owned(Session.objects.all(), owner, session_id)
    if entry is not None:
        return Place(entry=entry)
    return Place(session=session)


def _owned(rows: Any, owner: Any, pk: str | int | None) -> Any:
    if pk in (None, ""):
        return None
    text = str(pk)
    if not text.isdigit() or len(text) > 12:
        raise NoSuchPlace
    found = owned(rows, owner).filter(pk=int(text)).first()
    if found is None:
        raise NoSuchPlace
    return found


def clean_caption(caption: str) -> str:
    caption = " ".join(caption.split())
    if len(caption) > CAPTION_MAX:
        raise CaptionError(f"A caption can be up to {CAPTION_MAX} characters; this one has {len(caption)}.")
    return caption


def _entry_for(owner: Any, place: Place, kind: str) -> Entry:
    if place.entry is not None:
        return place.entry
    now = timezone.now()
    return Entry.objects.create(owner=owner, session=place.session, mode=OWN_MODES[kind], created_at=now, updated_at=now)


@transaction.atomic
def add_photo(owner: Any, photo: Photo, place: Place, caption: str = "") -> Picture:
    entry = _entry_for(owner, place, Picture.Kind.PHOTO)
    picture = Picture.objects.create(
        owner=owner, entry=entry, kind=Picture.Kind.PHOTO, caption=clean_caption(caption),
        content_type=photo.image.content_type, width=photo.image.width, height=photo.image.height,
        image=photo.image.data, thumb=photo.thumb.data, thumb_width=photo.thumb.width, thumb_height=photo.thumb.height,
    )  # fmt: skip
    _touch(entry)
    return picture


@dataclass(frozen=True)
class SavedDrawing:
    picture: Picture
    created: bool


@transaction.atomic
def save_drawing(owner: Any, uid: uuid.UUID, png: bytes, strokes: bytes, place: Place) -> SavedDrawing:
    """Create-or-update the drawing with this uid: a retried or repeated autosave changes the same drawing."""
    painted = drawings.clean_png(png)
    clean = drawings.clean_strokes(strokes)
    existing = Picture.objects.with_bytes().select_for_update().filter(uid=uid).first()
    if existing is not None and existing.owner_id != owner.pk:
        raise NotYours
    fields = {
        "content_type": painted.image.content_type, "width": painted.image.width, "height": painted.image.height,
        "image": painted.image.data, "thumb": painted.thumb.data, "strokes": clean,
        "thumb_width": painted.thumb.width, "thumb_height": painted.thumb.height,
    }  # fmt: skip
    if existing is not None:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.updated_at = timezone.now()
        existing.save()
        _touch(existing.entry)
        return SavedDrawing(existing, created=False)
    entry = _entry_for(owner, place, Picture.Kind.DRAWING)
    picture = Picture.objects.create(owner=owner, entry=entry, uid=uid, kind=Picture.Kind.DRAWING, **fields)
    _touch(entry)
    return SavedDrawing(picture, created=True)


def _touch(entry: Entry) -> None:
    entry.updated_at = timezone.now()
    entry.save(update_fields=["updated_at"])


@transaction.atomic
def delete_picture(picture: Picture) -> Entry | None:
    """Move the picture to the Trash; an entry made only to hold it goes with it. Returns the entry that stays, if any."""
    from afterglow.trash import bin

    entry = picture.entry
    others = entry.pictures.exclude(pk=picture.pk).exists()
    held_only_this = entry.mode in OWN_MODES.values() and not entry.text.strip() and not others
    if held_only_this:
        bin.put(entry)
        return None
    bin.put(picture)
    return entry


def shown(*, with_bytes: bool = False) -> QuerySet[Picture]:
    """Pictures as their pages show them: with entry and session (and the image bytes when asked)."""
    rows = Picture.objects.with_bytes() if with_bytes else Picture.objects.all()
    return rows.select_related("entry", "entry__session")


@dataclass(frozen=True)
class Thumb:
    """What a list shows of a picture: enough for an <img>, without its bytes."""

    id: int
    kind: str
    caption: str
    width: int
    height: int
    created_at: Any

    @property
    def alt(self) -> str:
        return self.caption or f"{Picture.Kind(self.kind).label} of {timezone.localtime(self.created_at):%-d %B, %H:%M}"


def thumbnails_for(entry_ids: Iterable[int]) -> dict[int, list[Thumb]]:
    """The pictures of these entries, in one indexed query that reads no image bytes."""
    ids = list(set(entry_ids))
    found: dict[int, list[Thumb]] = defaultdict(list)
    if not ids:
        return found
    rows = Picture.objects.filter(entry_id__in=ids).order_by("created_at", "id")
    # `caption_sealed`: a clinic's private picture, its caption opened here for its own patient only.
    fields: tuple[str, ...] = ("entry_id", "id", "kind", "caption", "thumb_width", "thumb_height", "created_at")
    fields += ("uid", "owner_id", "caption_sealed")
    for entry_id, pk, kind, caption, width, height, created_at, uid, owner_id, sealed in rows.values_list(*fields):
        shown = sealing.open_caption(uid, owner_id, caption, sealed)
        found[entry_id].append(Thumb(pk, kind, shown, width, height, created_at))
    return found


def attach_thumbnails(items: Iterable[Any]) -> None:
    """Give each timeline item for an entry its `pictures` (an empty list for the rest)."""
    items = list(items)
    entries = [item for item in items if getattr(item, "kind", "") == "entry"]
    found = thumbnails_for(item.obj.pk for item in entries)
    for item in entries:
        item.pictures = found.get(item.obj.pk, [])


# ---- a clinic's private entries (sealing.py) ----------------------------------------------------


def follow_entry(entry: Any) -> None:
    """An entry marked private seals its pictures at once; un-marked, it opens them."""
    for picture in Picture.objects.with_bytes().filter(entry=entry).exclude(sealed=entry.private):
        picture.entry = entry
        picture.save()


def seal_leftovers(owner: Any) -> int:
    """Seal `owner`'s pictures of private entries still stored open (marked before this existed); how many."""
    if not private.applies():
        return 0
    left = Picture.objects.with_bytes().filter(owner=owner, entry__private=True, sealed=False).select_related("entry")
    count = 0
    for picture in left:
        picture.save()
        count += 1
    return count


def any_sealed(owner: Any) -> bool:
    """Whether `owner` has a sealed picture (a new key pair would leave it locked for good)."""
    return Picture.objects.filter(owner=owner, sealed=True).exists()
