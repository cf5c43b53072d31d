"""Small builders shared by the prompt, intention, reflect, actions and review tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from afterglow.journal.models import Course, Session


def make_course(owner: Any, programme: str = "", start: date | None = None) -> Course:
    return Course.objects.create(owner=owner, start_date=start or date(2026, 1, 5), programme=programme)


def make_session(course: Course, days_after_start: int = 0, **fields: Any) -> Session:
    day = course.start_date + timedelta(days=days_after_start)
    started = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    return Session.objects.create(owner=course.owner, course=course, started_at=started, **fields)


def stranger() -> Any:
    user, _ = get_user_model().objects.get_or_create(username="stranger")
    return user


def submit(client: Any, url: str, data: dict[str, str] | None = None, *, page: str | None = None) -> Any:
    """Open the page holding the form (for its CSRF cookie), then post it like a browser would."""
    from tests.conftest import csrf_post

    client.get(page or url)
    return csrf_post(client, url, data)
