"""The Trash: what a person deleted, kept whole for 30 days so it can come back, then purged for real.

A deleted thing does not stay in its table with a flag (every list and the search
index would have to learn to skip it): its rows, and the rows attached to it, are
written into one `TrashItem` as JSON and then really deleted. Restoring writes them
back with their ids, so links (session, prompt, pictures, voice, versions) return
as they were. Purging deletes the `TrashItem`; with `secure_delete` on (see the
vault backend) SQLite overwrites the freed bytes with zeros.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TrashItem(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trash")
    kind = models.CharField(max_length=40)
    # What the Trash page shows, so the person knows what it is (purged with the rest).
    label = models.CharField(max_length=200)
    # "app.Model:pk" of the thing deleted, so a second delete of it finds it here.
    root = models.CharField(max_length=80)
    payload = models.TextField()
    deleted_at = models.DateTimeField(default=timezone.now)
    purge_after = models.DateTimeField()
    # Set when restored; the payload is emptied then and the row goes at the next purge.
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-deleted_at", "-id"]
        indexes = [models.Index(fields=["owner", "-deleted_at"]), models.Index(fields=["purge_after"])]
