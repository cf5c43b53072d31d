from __future__ import annotations

from django.conf import settings
from django.db import models


class PatientPreferences(models.Model):
    """Clinic mode: one person's preferences, the same sections and values local mode keeps in config.toml.

    Never journal content: a crisis region, reminder times, a look, switches (lib.config.sections is the shape).
    """

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences")
    sections = models.JSONField(default=dict)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of user {self.owner_id}"
