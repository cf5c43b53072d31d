"""When to suggest the PHQ-9 and GAD-7: before each session and every two weeks. A rule, not a nag."""

from __future__ import annotations

from datetime import date

EVERY_DAYS = 14
BEFORE_SESSION_DAYS = 2
# A measure taken this close before a session already counts as "before it".
FRESH_DAYS = 3


def measure_due(last_taken: date | None, next_session: date | None, today: date) -> bool:
    """Never taken, not taken for two weeks, or a session is near and none was taken just before it."""
    if last_taken is None:
        return True
    if (today - last_taken).days >= EVERY_DAYS:
        return True
    if next_session is not None and 0 <= (next_session - today).days <= BEFORE_SESSION_DAYS:
        return (next_session - last_taken).days > FRESH_DAYS
    return False
