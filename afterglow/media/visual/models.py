"""Drawings and photos: the picture bytes live as BLOBs in the encrypted journal, never as files.

A picture always belongs to an entry. Drawn or added from a session (or from
nowhere in particular), it gets an entry of its own (mode "drawing" or
"image") that carries its session and its place in the timeline; added from an
existing entry, it joins that entry.

Lists never load the bytes: the default manager defers them, and the timeline
asks only for ids and sizes (see `pictures.thumbnails_for`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

BLOBS = ("image", "thumb", "strokes")


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
    caption = models.CharField(max_length=1000, blank=True)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    image = models.BinaryField()
    thumb = models.BinaryField()
    thumb_width = models.PositiveIntegerField()
    thumb_height = models.PositiveIntegerField()
    # A drawing's strokes as compact JSON (see drawings.py), so it opens again as editable lines.
    strokes = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PictureManager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["entry", "created_at"])]

    def __str__(self) -> str:
        return self.caption or f"{self.get_kind_display()} of {self.created_at:%-d %B %Y}"

    @property
    def alt(self) -> str:
        return self.caption or f"{self.get_kind_display()} of {timezone.localtime(self.created_at):%-d %B %Y, %H:%M}"
