"""Template helpers for the timeline and its lists: the session filter and fast date formatting."""

from __future__ import annotations

import functools
import weakref
from datetime import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


# The options for each (cached) list of sessions, built once: see `session_options`.
_options: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


@register.simple_tag
def session_options(marks: Any, selected: Any = None) -> SafeString:
    """The session filter's <option>s, newest first, from a `timeline.Sessions`.

    Built as one string rather than a template loop, and only once for each list of
    sessions: a journal of a few years holds hundreds, and this list is on every
    timeline page.
    """
    html = _options.get(marks)
    if html is None:
        html = _options[marks] = "\n".join(_option(m) for m in reversed(marks.all))
    chosen = getattr(selected, "pk", None)
    if chosen is not None:
        html = html.replace(f'<option value="{int(chosen)}">', f'<option value="{int(chosen)}" selected>', 1)
    return mark_safe(html)  # every value in it is an int, a date or escaped


def _option(m: Any) -> str:
    title = f" · {escape(m.course_title)}" if m.course_title else ""
    return f'<option value="{int(m.pk)}">Session {int(m.number)} · {m.day:%-d %b %Y}{title}</option>'


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


@register.filter
def latest_planned(today: Any) -> str:
    """`max` of a date input for planned days (an action's due day): the journal's shared day range."""
    from afterglow.lib.dates import latest_planned as latest

    return latest(today).isoformat() if today else ""
