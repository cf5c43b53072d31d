"""Where a patient is in their course, and what would help now. Plain functions, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The few days after a session when the clinics say reflection and small changes
# take hold best. Day 0 is the session day itself.
INTEGRATION_WINDOW_DAYS = 3
# The quick capture is most useful while the memory is fresh (within 24–48 hours).
CAPTURE_DAYS = 2


def day_after(session_day: date, today: date) -> int:
    """Day N after a session: 0 on the day itself, 1 the next day, …"""
    return (today - session_day).days


def day_label(day: int | None, session_number: int | None) -> str:
    """'Day 2 after session 3', or the session day itself; nothing for items before any session."""
    if day is None or session_number is None:
        return ""
    if day < 0:
        return f"Before session {session_number}"
    if day == 0:
        return f"Session {session_number} day"
    return f"Day {day} after session {session_number}"


def in_integration_window(day: int) -> bool:
    return 0 <= day <= INTEGRATION_WINDOW_DAYS


@dataclass(frozen=True)
class Position:
    session_number: int | None
    day: int | None
    next_session_in: int | None = None

    @property
    def in_window(self) -> bool:
        return self.day is not None and in_integration_window(self.day)

    def headline(self) -> str:
        if self.session_number is None or self.day is None:
            if self.next_session_in is not None:
                return _before_first(self.next_session_in)
            return "Welcome. Your journal is ready when you are."
        if self.day == 0:
            text = f"Session {self.session_number} is today"
        else:
            text = f"Day {self.day} after session {self.session_number}"
        if self.in_window:
            text += " — your integration window"
        return text


def _before_first(days: int) -> str:
    if days == 0:
        return "Your first session is today"
    if days == 1:
        return "Your first session is tomorrow"
    return f"Your first session is in {days} days"


def position(session_days: list[tuple[int, date]], today: date) -> Position:
    """Where today falls: the latest session on or before today, else the next one ahead.

    `session_days` is (number, day) for the sessions of the current course.
    """
    past = [(d, n) for n, d in session_days if d <= today]
    if past:
        d, n = max(past)
        return Position(session_number=n, day=day_after(d, today))
    future = [d for _, d in session_days if d > today]
    if future:
        return Position(None, None, next_session_in=(min(future) - today).days)
    return Position(None, None)


@dataclass(frozen=True)
class Nudge:
    """One thing that would help now, as a link on the home page."""

    key: str
    label: str


def what_helps_now(
    pos: Position,
    *,
    has_capture: bool,
    reflections: int,
    checked_in_today: bool,
    open_actions: int,
    upcoming_without_intention: bool,
    after_session: bool = False,
) -> list[Nudge]:
    """Gentle suggestions, most timely first; never more than a few."""
    nudges: list[Nudge] = []
    if pos.day is not None and pos.day <= CAPTURE_DAYS and not has_capture:
        nudges.append(Nudge("capture", f"Capture session {pos.session_number} while it is fresh"))
    if pos.in_window and reflections == 0:
        nudges.append(Nudge("reflect", "Reflect with a prompt or two"))
    if upcoming_without_intention:
        nudges.append(Nudge("intention", "Set an intention for your next session"))
    if not checked_in_today:
        # On a session day, `checked_in_today` means "since the session": the hours after it count.
        label = "Check in since the session (30 seconds)" if after_session else "Check in for today (30 seconds)"
        nudges.append(Nudge("checkin", label))
    if open_actions:
        word = "action" if open_actions == 1 else "actions"
        nudges.append(Nudge("actions", f"{open_actions} open integration {word}"))
    return nudges[:4]
