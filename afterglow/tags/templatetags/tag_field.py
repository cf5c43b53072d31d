"""`{% tag_field obj %}`: an entry's or capture's tags as links, and the field to change them."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from afterglow.journal.models import Capture
from afterglow.tags.store import tag_rows

register = template.Library()


@register.inclusion_tag("tags/_field.html")
def tag_field(obj: Any) -> dict[str, Any]:
    rows = tag_rows(obj)  # a clinic's private entry: from its seal, for its patient only
    action = reverse("capture_tags", args=[obj.session_id]) if isinstance(obj, Capture) else reverse("entry_tags", args=[obj.pk])
    return {
        "names": sorted({name for name, _ in rows}),
        "field": " ".join(sorted(name for name, from_text in rows if not from_text)),
        "action": action,
        "field_id": f"tags-{'capture' if isinstance(obj, Capture) else 'entry'}-{obj.pk}",
    }
