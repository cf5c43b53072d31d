"""The patient's own prompts, shown beside the shipped ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from afterglow.prompts.library import MAX_TEXT, Prompt

OWN_PACK = "own"


class OwnPrompt(models.Model):
    class Stage(models.TextChoices):
        # Stage ids match the groups of the intention and three-stage packs.
        INTENTION = "before", "Before a session (intention)"
        RECALL = "recall", "After a session: recall"
        REFLECTION = "reflection", "After a session: reflection"
        ACTION = "action", "After a session: action"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="own_prompts")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    text = models.CharField(max_length=MAX_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text

    def as_prompt(self) -> Prompt:
        # Answers to action-stage prompts are, by nature, things to do.
        return Prompt(OWN_PACK, str(self.pk), self.text, action=self.stage == self.Stage.ACTION)
