"""A patient's answers to a questionnaire, kept exactly as given.

Totals, bands and flags are derived by `scoring.py` from the answers, never
stored, so a half-done questionnaire is simply one with answers missing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class MeasureResponse(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_responses")
    # The page makes the uid, so repeated autosaves of one questionnaire land on one row.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument = models.CharField(max_length=16)
    # {"1": 0, "2": 3, …}: item number → the answer's value; skipped items are absent.
    answers = models.JSONField(default=dict, blank=True)
    # The course it belongs to, for "since the first measure of the course".
    course = models.ForeignKey("journal.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the person asks for the result; an unfinished one can be picked up again.
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["owner", "instrument", "started_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.started_at:%Y-%m-%d}"

    @property
    def taken_at(self):  # type: ignore[no-untyped-def]
        return self.finished_at or self.updated_at

    def answer_map(self) -> dict[int, int]:
        return {int(k): int(v) for k, v in (self.answers or {}).items()}
