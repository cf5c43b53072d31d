"""Looking up a patient's course and sessions."""

from __future__ import annotations

from typing import Any

from afterglow.journal.models import Course, Session


class NoSuchSession(LookupError):
    pass


def current_course(owner: Any) -> Course | None:
    """The course most recently started (courses rarely overlap; the newest is the live one)."""
    return Course.objects.filter(owner=owner).order_by("-start_date", "-id").first()


def session_by_number(owner: Any, number: int, course: Course | None = None) -> Session:
    """Session N of the given course (default: the current one)."""
    course = course or current_course(owner)
    session = Session.objects.filter(owner=owner, course=course, number=number).first() if course else None
    if session is None:
        raise NoSuchSession(f"There is no session {number} in your current course.")
    return session
