"""Key moments: what a person starred — an entry (written, drawn, spoken) or one answer of a quick capture.

A star belongs to what it marks (CASCADE): deleting an entry sends its star to the
Trash with it, and restoring brings the star back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Star(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars")
    entry = models.ForeignKey("journal.Entry", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    capture = models.ForeignKey("journal.Capture", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # Which answer of the capture: the key of a capture step with free text (see moments/stars.py).
    answer = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["entry"], condition=Q(entry__isnull=False), name="star_one_per_entry"),
            models.UniqueConstraint(fields=["capture", "answer"], condition=Q(capture__isnull=False), name="star_one_per_answer"),
            models.CheckConstraint(
                condition=(Q(entry__isnull=False) & Q(capture__isnull=True)) | (Q(entry__isnull=True) & Q(capture__isnull=False)),
                name="star_marks_one_thing",
            ),
        ]
