"""The quiet note after saving writing that uses words of crisis: an offer of help, never a verdict."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from afterglow.preferences.store import for_request
from afterglow.safety.preferences import gentle_notes
from afterglow.safety.words import suggests_crisis

TAG = "gentle-note"
TEXT = "If things feel heavy right now, you do not have to hold it alone."


def offer_after_save(request: HttpRequest, text: str) -> None:
    """Add the note to the next page when the switch is on and the text uses words from the list."""
    if gentle_notes(for_request(request)) and suggests_crisis(text):
        messages.info(request, TEXT, extra_tags=TAG)
