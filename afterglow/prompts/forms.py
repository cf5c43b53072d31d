from __future__ import annotations

from django import forms

from afterglow.prompts.library import MAX_TEXT
from afterglow.prompts.models import OwnPrompt


class OwnPromptForm(forms.Form):
    stage = forms.ChoiceField(
        choices=OwnPrompt.Stage.choices,
        error_messages={
            "required": "Choose when this prompt should appear.",
            "invalid_choice": "Choose one of the listed moments.",
        },
    )
    text = forms.CharField(
        max_length=MAX_TEXT,
        error_messages={
            "required": "Write the question you would like to be asked.",
            "max_length": f"Please keep a prompt under {MAX_TEXT} characters.",
        },
    )
