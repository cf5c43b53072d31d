"""Small builders for courses, sessions, entries and check-ins in view and query tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from afterglow.journal.entries import create_entry
from afterglow.journal.models import CheckIn, Course, Entry, Session


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def stranger() -> Any:
    return get_user_model().objects.create(username="someone-else")


def course(owner: Any, start: date | None = None, **fields: Any) -> Course:
    return Course.objects.create(owner=owner, start_date=start or days_ago(30), **fields)


def session(owner: Any, c: Course, day: date, hour: int = 10, **fields: Any) -> Session:
    return Session.objects.create(owner=owner, course=c, started_at=at(day, hour), **fields)


def entry(owner: Any, text: str = "Some words", when: datetime | None = None, **fields: Any) -> Entry:
    if when is not None:
        fields.update(created_at=when, updated_at=when)
    return create_entry(owner, text, **fields)


def checkin(owner: Any, day: date, mood: int = 5, **fields: Any) -> CheckIn:
    """A check-in on `day` (at noon unless `at` says when)."""
    return CheckIn.objects.create(owner=owner, day=day, mood=mood, **fields)


def submit(client: Any, url: str, data: dict[str, str], page: str | None = None) -> Any:
    """Open the form's page (for the CSRF cookie), then post with the token, as a browser does."""
    client.get(page or url)
    if "csrftoken" not in client.cookies:  # the page had no form (a 404, say): any form page sets it
        client.get("/checkin")
    payload = {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    return client.post(url, payload)
