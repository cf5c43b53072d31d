"""Consent (what a patient shares with one clinician) and the audit trail of every clinician read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Category(models.TextChoices):
    SESSIONS = "sessions", "Sessions and intentions"
    CHECKINS = "checkins", "Check-ins"
    MEASURES = "measures", "Questionnaires"
    SIDE_EFFECTS = "side_effects", "Side effects after sessions"
    ENTRIES = "entries", "Entries you pick one by one"


class Consent(models.Model):
    """What one patient shares with one clinician. Read afresh on every request, so a change applies at once."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_given")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_received")
    categories = models.JSONField(default=list, blank=True)
    # Entries picked one by one; a private entry is never shown, even if it was picked before it became private.
    entries = models.ManyToManyField("journal.Entry", blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patient", "clinician"], name="care_one_consent_per_pair")]

    def allows(self, category: str) -> bool:
        return category in self.categories

    @property
    def shares_anything(self) -> bool:
        return bool(self.categories)


class AppendOnly(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit records cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit records cannot be deleted.")


class AuditRecord(models.Model):
    """One read of a patient's data by a clinician: who, what, when, from where. Written once, never changed."""

    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=40)
    path = models.CharField(max_length=300)
    address = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = AppendOnly.as_manager()

    class Meta:
        indexes = [models.Index(fields=["patient", "-at"]), models.Index(fields=["at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise PermissionError("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit records cannot be deleted.")
