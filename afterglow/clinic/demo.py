"""A demo clinic for `make clinic-demo`: an admin, a clinician and three patients with a little history.

Only for a throwaway database: the patients' passwords are printed, and the words are made up.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from afterglow.clinic import accounts
from afterglow.clinic.models import Invite, Role
from afterglow.journal.entries import create_entry
from afterglow.journal.models import CheckIn, Course, Intention, Session

PATIENTS = {
    "sam": ["The room felt wide and quiet.", "Walked to the river after work; the heaviness lifted a little."],
    "alex": ["Wrote down three things I want to ask at the next session.", "Slept better than last week."],
    "jo": ["A memory of my grandmother's kitchen came back, warm.", "Tired today, but I kept my walk."],
}


def build() -> list[tuple[str, str, str]]:
    """Make the clinic; returns (username, role, how to get in) for each person."""
    people: list[tuple[str, str, str]] = []
    for username, role in (("admin", Role.ADMIN), ("dr-rivera", Role.CLINICIAN)):
        _, token = accounts.invite(username, role)
        people.append((username, role, f"/invite/{token}"))
    for username, lines in PATIENTS.items():
        password = f"{username}-{secrets.token_urlsafe(9)}"
        _, token = accounts.invite(username, Role.PATIENT)
        found = Invite.find(token)
        if found is None:  # just made, unused and unexpired: cannot happen
            raise RuntimeError("the demo's own invite was not found")
        user = accounts.accept(found, password)
        _journal(user, lines)
        people.append((username, Role.PATIENT, f"password {password}"))
    return people


def _journal(owner: Any, lines: list[str]) -> None:
    today = timezone.localdate()
    course = Course.objects.create(owner=owner, start_date=today - timedelta(days=21))
    for n, days_ago in enumerate((18, 11, 4)):
        day = today - timedelta(days=days_ago)
        s = Session.objects.create(owner=owner, course=course, started_at=timezone.make_aware(datetime.combine(day, time(10))))
        Intention.objects.create(owner=owner, session=s, text=["To notice what comes", "To rest", "To be kind to myself"][n])
    for n, text in enumerate(lines):
        create_entry(owner, text)
        for back in range(n * 3, n * 3 + 3):
            CheckIn.objects.create(owner=owner, day=today - timedelta(days=back), mood=5 + (back % 3))
