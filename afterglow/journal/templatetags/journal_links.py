"""Links to pages that other parts of Afterglow own, without breaking when one is missing."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag
def session_options(marks: list[Any], selected: Any = None) -> SafeString:
    """The session filter's <option>s, newest first.

    Built as one string rather than a template loop: a journal of a few years holds
    hundreds of sessions, and this list is on every timeline page.
    """
    chosen = getattr(selected, "pk", None)
    titles: dict[str, str] = {}
    options = []
    for m in reversed(marks):
        title = titles.setdefault(m.course_title, f" · {escape(m.course_title)}" if m.course_title else "")
        mark = " selected" if m.pk == chosen else ""
        options.append(f'<option value="{int(m.pk)}"{mark}>Session {int(m.number)} · {m.day:%-d %b %Y}{title}</option>')
    return mark_safe("\n".join(options))  # every value above is an int, a date or escaped
