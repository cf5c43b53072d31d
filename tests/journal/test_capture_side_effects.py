"""Side effects in the quick capture: advice by kind beside the answer, on the next page and in the summary."""

from __future__ import annotations

import pytest

from afterglow.journal import capture as rules
from afterglow.journal.models import Capture
from tests.journal.course_factories import course, days_ago, session, submit

WARNING = "This can be a warning sign. Contact your clinic now, and if it is severe, call your emergency number (911)."
EMERGENCY = "emergency number"


@pytest.fixture
def today_session(patient):
    return session(patient, course(patient), days_ago(0))


def body_step() -> rules.Step:
    return next(s for s in rules.steps() if s.key == "body")


def body_url(s) -> str:
    return f"/sessions/{s.pk}/capture/{body_step().number}"


def advice_of(body: str) -> str:
    """The advice block under the side-effect chips."""
    return body[body.index("data-advice") :]


def test_the_note_under_the_chips_names_only_the_warning_signs_marked(client, today_session):
    marked = {"chest_pain": 1, "dizziness": 1, "fainting": 0}
    Capture.objects.create(owner=today_session.owner, session=today_session, sensations=marked)
    advice = advice_of(client.get(body_url(today_session)).content.decode())
    assert f'role="note">Chest pain or pressure: {WARNING}</p>' in advice
    assert "Dizziness:" not in advice and "Fainting" not in advice


def test_no_note_under_the_chips_when_nothing_is_flagged(client, today_session):
    Capture.objects.create(owner=today_session.owner, session=today_session, sensations={"dizziness": 1})
    body = client.get(body_url(today_session)).content.decode()
    assert 'role="note"' not in advice_of(body)


def test_strong_relaxation_and_tingling_never_show_emergency_advice(client, today_session):
    Capture.objects.create(owner=today_session.owner, session=today_session, sensations={"relaxation": 3, "tingling": 3})
    advice = advice_of(client.get(body_url(today_session)).content.decode())
    assert "Relaxation" not in advice
    assert EMERGENCY not in advice and "Tingling: " in advice and "Rest, and leave driving until tomorrow" in advice
    summary = client.get(f"/sessions/{today_session.pk}/capture/summary").content.decode()
    assert EMERGENCY not in summary and "Tingling: Common after a dose" in summary


def test_a_warning_sign_at_any_strength_is_repeated_on_the_next_page_and_in_the_summary(client, today_session):
    response = submit(client, body_url(today_session), {"sensations-chest_pain": "1", "sensations-relaxation": "3", "go": "next"})
    page = client.get(response["Location"]).content.decode()
    assert f"Chest pain or pressure: {WARNING}" in page and "Relaxation:" not in page
    summary = client.get(f"/sessions/{today_session.pk}/capture/summary").content.decode()
    assert f"Chest pain or pressure: {WARNING}" in summary


def test_a_strong_expected_effect_gets_only_the_gentle_note_on_the_next_page(client, today_session):
    response = submit(client, body_url(today_session), {"sensations-tingling": "3", "go": "next"})
    page = client.get(response["Location"]).content.decode()
    assert "Tingling: Common after a dose" in page and EMERGENCY not in page.split("<main", 1)[1].split("</main>")[0]


def test_signature_feelings_at_full_strength_are_never_flagged(client, today_session):
    signature = next(s for s in rules.steps() if s.key == "signature")
    Capture.objects.create(owner=today_session.owner, session=today_session, signature={"hope": 3})
    body = client.get(f"/sessions/{today_session.pk}/capture/{signature.number}").content.decode()
    assert EMERGENCY not in body and "capture-advice capture-advice-" not in body
