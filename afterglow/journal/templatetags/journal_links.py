"""Links to pages that other parts of Afterglow own, without breaking when one is missing."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args: Any, **kwargs: Any) -> str:
    """`{% optional_url "entry" entry.pk as href %}`: the URL, or "" when no such page exists (yet)."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@register.filter
def day_label(day: int | None, session: Any = None) -> str:
    """'Day 2 after session 3', or the session day itself; nothing for items before any session."""
    if day is None or session is None:
        return ""
    if day < 0:
        return f"Before session {session.number}"
    if day == 0:
        return f"Session {session.number} day"
    return f"Day {day} after session {session.number}"
