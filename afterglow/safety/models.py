"""The safety plan a person writes in calm times (stored in the encrypted journal like everything else)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SafetyPlan(models.Model):
    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan")
    # One field per part, in data/safety_plan.toml's order.
    warning_signs = models.TextField(blank=True)
    on_my_own = models.TextField(blank=True)
    people_places = models.TextField(blank=True)
    ask_for_help = models.TextField(blank=True)
    professionals = models.TextField(blank=True)
    safer_surroundings = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Safety plan"
