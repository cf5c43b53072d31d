"""A severe side effect in the quick capture: 'contact your clinic' beside the answer."""

from __future__ import annotations

import pytest

from afterglow.journal import capture as rules
from afterglow.journal.models import Capture
from tests.journal.course_factories import course, days_ago, session, submit

CLINIC = "Contact your clinic; call your emergency number (911) if it is severe."


@pytest.fixture
def today_session(patient):
    return session(patient, course(patient), days_ago(0))


def body_step() -> rules.Step:
    return next(s for s in rules.steps() if s.key == "body")


def body_url(s) -> str:
    return f"/sessions/{s.pk}/capture/{body_step().number}"


def test_it_lists_the_serious_side_effects_from_clinical_sources():
    serious = {c.key for c in rules.load().sensations if c.serious}
    assert serious == {"chest_pain", "fainting", "severe_headache", "vomiting", "breathing", "confusion"}


@pytest.mark.parametrize(
    ("level", "serious", "expected"),
    [("3", False, True), ("2", False, False), ("1", True, True), ("0", True, False), ("", True, False), ("7", True, False)],
)
def test_strong_or_serious_needs_a_clinician(level, serious, expected):
    assert rules.needs_clinician(level, serious) is expected


def test_the_note_under_the_chips_names_only_the_effects_the_rule_flags(client, today_session):
    Capture.objects.create(owner=today_session.owner, session=today_session, sensations={"chest_pain": 1, "dizziness": 1})
    body = client.get(body_url(today_session)).content.decode()
    advice = body[body.index("data-advice") :]
    assert f'role="note">Chest pain or pressure: {CLINIC}</p>' in advice and "Dizziness:" not in advice


def test_no_note_under_the_chips_when_nothing_is_flagged(client, today_session):
    Capture.objects.create(owner=today_session.owner, session=today_session, sensations={"dizziness": 1})
    body = client.get(body_url(today_session)).content.decode()
    assert 'role="note"' not in body[body.index("data-advice") :]


def test_a_serious_side_effect_at_any_strength_is_flagged_on_the_next_page_and_the_summary(client, today_session):
    response = submit(client, body_url(today_session), {"sensations-chest_pain": "1", "go": "next"})
    response = client.get(response["Location"])
    assert "Chest pain or pressure: contact your clinic; call your emergency number if it is severe." in response.content.decode()
    summary = client.get(f"/sessions/{today_session.pk}/capture/summary").content.decode()
    assert "Chest pain or pressure: contact your clinic; call your emergency number (911) if it is severe." in summary


def test_signature_feelings_at_full_strength_are_never_flagged(client, today_session):
    signature = next(s for s in rules.steps() if s.key == "signature")
    Capture.objects.create(owner=today_session.owner, session=today_session, signature={"hope": 3})
    body = client.get(f"/sessions/{today_session.pk}/capture/{signature.number}").content.decode()
    assert CLINIC not in body and "contact your clinic" not in body
