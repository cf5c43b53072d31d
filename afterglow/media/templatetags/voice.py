"""`{% voice_recorder session %}` on the pages where a person might rather speak; `{% voice_for entry %}` on an entry."""

from __future__ import annotations

from typing import Any

from django import template

from afterglow.media.voice.models import VoiceNote

register = template.Library()


@register.inclusion_tag("media/voice/_recorder.html", takes_context=True)
def voice_recorder(context: template.Context, session: Any = None, target: str = "", compact: bool = False) -> dict[str, Any]:
    """`target`: the id of a text box the transcript is added to when it is ready (recorder.js tells the page)."""
    return {
        "session": session or None,
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "compact": compact,
        "clinic_mode": context.get("clinic_mode"),  # where the recording is kept and turned into text
    }


@register.inclusion_tag("media/voice/_on_entry.html")
def voice_for(entry: Any) -> dict[str, Any]:
    note = VoiceNote.objects.defer("audio").filter(entry=entry).first()
    # A locked private entry's recording is sealed with the same lost key: no player that could only fail.
    return {"note": note, "locked": getattr(entry, "locked", False)}
