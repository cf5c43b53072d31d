"""Links to pages that other parts of Afterglow own, without breaking when one is missing."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
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


# Django's `date` filter resolves lazy, translatable names and format settings on every call;
# the timeline formats a few hundred dates a page. These letters, through strftime, give the
# same English text (USE_I18N is off) for a fraction of the cost.
_STRFTIME = {"D": "%a", "l": "%A", "j": "%-d", "M": "%b", "F": "%B", "Y": "%Y", "H": "%H", "i": "%M", "m": "%m", "d": "%d"}


@functools.lru_cache(maxsize=64)
def _strftime_pattern(fmt: str) -> str | None:
    if any(ch.isalpha() and ch not in _STRFTIME for ch in fmt) or "%" in fmt:
        return None
    return "".join(_STRFTIME.get(ch, ch) for ch in fmt)


@register.filter
def when(value: Any, fmt: str) -> str:
    """`{{ entry.created_at|when:"D j M, H:i" }}`: like `|date`, in local time; `c` gives ISO 8601."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if fmt == "c":
        return value.isoformat()
    pattern = _strftime_pattern(fmt)
    return value.strftime(pattern) if pattern is not None else date_filter(value, fmt)

