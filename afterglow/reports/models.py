"""What an import brought in, so the same file imported again adds nothing.

One row per imported entry: `key` is a hash of the source, the entry's id in it
(or its date) and its text. What the journal has no place for yet (a star, the
tags as the source wrote them) is kept here too, so nothing in the source is lost.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from afterglow.journal import private


class ImportRecord(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_records")
    source = models.CharField(max_length=16)  # jrnl, dayone, json
    key = models.CharField(max_length=64)
    entry = models.ForeignKey("journal.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # An Afterglow json import keys every row that has a uid (entries, questionnaires, pictures, recordings):
    # the table and the row it became, since the uid may have to change (clinic mode: another patient has it).
    kind = models.CharField(max_length=16, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    starred = models.BooleanField(default=False)
    tags = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="import_key_unique")]

    def __str__(self) -> str:
        return f"{self.source} import {self.key[:8]}"


def forget_source_tags(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """An entry just marked private in a clinic: the tags its import brought are dropped from its record.

    They are in its text as #words, which is sealed now; kept here they would stay in the clear.
    """
    if instance.private and getattr(instance, "_private_stored", None) is False and private.applies():
        ImportRecord.objects.filter(entry_id=instance.pk).exclude(tags=[]).update(tags=[])
