"""Drawings and photos: the picture bytes live as BLOBs in the encrypted journal, never as files.

A picture always belongs to an entry. Drawn or added from a session (or from
nowhere in particular), it gets an entry of its own (mode "drawing" or
"image") that carries its session and its place in the timeline; added from an
existing entry, it joins that entry.

Lists never load the bytes: the default manager defers them, and the timeline
asks only for ids and sizes (see `pictures.thumbnails_for`).

In a clinic, the pictures of a private entry are stored sealed, and opened as
they are read only for their patient's own request (see `sealing.py`).
"""

from __future__ import annotations

import uuid
from base64 import b64encode
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from afterglow.media.visual import sealing

BLOBS = sealing.BLOBS


class SealableBytes(models.BinaryField):
    """A picture's bytes: serialized (the Trash) as stored, sealed when its entry is private, never as opened."""

    def value_to_string(self, obj: Any) -> str:
        self.value_from_object(obj)  # a deferred column is loaded (and its stored form kept) first
        stored = obj.__dict__.get("_stored") or {}
        if self.attname in stored:
            return b64encode(stored[self.attname]).decode("ascii")
        return super().value_to_string(obj)


class SealableCaption(models.CharField):
    """A caption: serialized as stored, so a sealed one (kept in `caption_sealed`) is empty here."""

    def value_to_string(self, obj: Any) -> str:
        return "" if obj.__dict__.get("sealed") else super().value_to_string(obj)


class PictureQuerySet(models.QuerySet["Picture"]):
    def with_bytes(self) -> PictureQuerySet:
        """The picture and its thumbnail bytes too (and the strokes): only for the one being served or edited."""
        return self.defer(None)


class PictureManager(models.Manager["Picture"]):
    def get_queryset(self) -> PictureQuerySet:
        return PictureQuerySet(self.model, using=self._db).defer(*BLOBS)

    def with_bytes(self) -> PictureQuerySet:
        return PictureQuerySet(self.model, using=self._db)


class Picture(models.Model):
    class Kind(models.TextChoices):
        DRAWING = "drawing", "Drawing"
        PHOTO = "photo", "Photo"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pictures")
    entry = models.ForeignKey("journal.Entry", on_delete=models.CASCADE, related_name="pictures")
    # Chosen by the drawing page, so a retried autosave never makes a second drawing.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    caption = SealableCaption(max_length=1000, blank=True)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    image = SealableBytes()
    thumb = SealableBytes()
    thumb_width = models.PositiveIntegerField()
    thumb_height = models.PositiveIntegerField()
    # A drawing's strokes as compact JSON (see drawings.py), so it opens again as editable lines.
    strokes = SealableBytes(null=True, blank=True)
    # Clinic mode, a private entry's picture: image, thumb and strokes hold sealed bytes, and the
    # caption is sealed here with `caption` empty (sealing.py). Always false (and null) in local mode.
    sealed = models.BooleanField(default=False, db_default=False)
    caption_sealed = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PictureManager()

    _locked = False

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["entry", "created_at"])]

    def __str__(self) -> str:
        return self.caption or f"{self.get_kind_display()} of {self.created_at:%-d %B %Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        kwargs["update_fields"] = sealing.prepared(self, kwargs.get("update_fields"))
        with transaction.atomic(), sealing.storing(self):
            super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Picture:
        picture = super().from_db(*args, **kwargs)
        sealing.opened(picture, picture.__dict__)
        return picture

    def refresh_from_db(self, using: str | None = None, fields: Any = None, from_queryset: Any = None) -> None:
        # A sealed column read again (a deferred one on first use) is read as stored and opened here.
        wanted = None if fields is None else set(fields)
        own = sealing.COLUMNS & (set(self.__dict__) if wanted is None else wanted)
        rest = None if wanted is None else wanted - own
        if rest is None or rest:
            super().refresh_from_db(using, rest, from_queryset)
        if own:
            sealing.reload(self, own, using)

    @property
    def locked(self) -> bool:
        """A private entry's picture this request cannot open (a clinician's, a job's, or sealed to an old key)."""
        return self._locked

    @property
    def alt(self) -> str:
        return self.caption or f"{self.get_kind_display()} of {timezone.localtime(self.created_at):%-d %B %Y, %H:%M}"
