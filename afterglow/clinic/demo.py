"""A demo clinic for `make clinic-demo`: an admin, two clinicians and four patients with a little history.

Three of the patients share with a clinician, each showing one kind of need on the dashboard (a PHQ-9
question 9 answer above 0, a warning sign after a session, reliable worsening with missed check-ins);
the fourth shares nothing, so is on no list. Only for a throwaway database: the patients' passwords are
printed, and the words are made up.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.utils import timezone

from afterglow.clinic import accounts
from afterglow.clinic.models import Invite, Role
from afterglow.journal.entries import create_entry
from afterglow.journal.models import Capture, CheckIn, Course, Intention, Session
from afterglow.measures.models import MeasureResponse

PATIENTS = {
    "sam": ["The room felt wide and quiet.", "Walked to the river after work; the heaviness lifted a little."],
    "alex": ["Wrote down three things I want to ask at the next session.", "Slept better than last week."],
    "jo": ["A memory of my grandmother's kitchen came back, warm.", "Tired today, but I kept my walk."],
    "kim": ["First week. Mostly curious, a little nervous.", "Made tea and sat by the window for a while."],
}
CLINICIANS = ("dr-rivera", "dr-okafor")


def build() -> list[tuple[str, str, str]]:
    """Make the clinic; returns (username, role, how to get in) for each person."""
    people: list[tuple[str, str, str]] = []
    staff: dict[str, Any] = {}
    for username, role in (("admin", Role.ADMIN), *((name, Role.CLINICIAN) for name in CLINICIANS)):
        member, token = accounts.invite(username, role)
        staff[username] = member.user
        people.append((username, role, f"/invite/{token}"))
    patients: dict[str, Any] = {}
    for username, lines in PATIENTS.items():
        password = f"{username}-{secrets.token_urlsafe(9)}"
        _, token = accounts.invite(username, Role.PATIENT)
        found = Invite.find(token)
        if found is None:  # just made, unused and unexpired: cannot happen
            raise RuntimeError("the demo's own invite was not found")
        user = accounts.accept(found, password)
        _journal(user, lines)
        patients[username] = user
        people.append((username, Role.PATIENT, f"password {password}"))
    _needs(patients)
    # What the apps above the clinic add (the care team's consents): the clinic may not import them, so it
    # asks each installed app that has an `add_to_demo(people by username)`.
    for config in apps.get_app_configs():
        add = getattr(config, "add_to_demo", None)
        if callable(add):
            add(staff | patients)
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


def _phq9(owner: Any, course: Course | None, days_ago: int, rest: int, item9: int = 0) -> None:
    at = timezone.now() - timedelta(days=days_ago)
    answers = {str(n): rest for n in range(1, 9)} | {"9": item9}
    MeasureResponse.objects.create(owner=owner, instrument="phq9", answers=answers, course=course, started_at=at, finished_at=at)


def _needs(patients: dict[str, Any]) -> None:
    """One sign each for the dashboard to order: sam's question 9, alex's warning sign, jo's worsening and missed days."""
    sam, alex, jo = patients["sam"], patients["alex"], patients["jo"]
    _phq9(sam, Course.objects.filter(owner=sam).first(), 10, 1)
    _phq9(sam, Course.objects.filter(owner=sam).first(), 2, 1, item9=1)
    last = Session.objects.filter(owner=alex).order_by("-started_at").first()
    if last is not None:
        Capture.objects.create(owner=alex, session=last, first_impression="Heavy, then light.", sensations={"chest_pain": 1})
    jo_course = Course.objects.filter(owner=jo).first()
    _phq9(jo, jo_course, 20, 0)
    _phq9(jo, jo_course, 3, 1)
    CheckIn.objects.filter(owner=jo).delete()
    CheckIn.objects.create(owner=jo, day=timezone.localdate() - timedelta(days=5), mood=4)
    for owner in (sam, jo):  # the next session, a week on
        course = Course.objects.filter(owner=owner).first()
        if course is not None:
            when = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=7), time(10)))
            Session.objects.create(owner=owner, course=course, started_at=when)
