"""The review and compare pages read the same number of times however many sessions there are, and a kept page
is never shown once the journal has changed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from afterglow.insights import themes
from afterglow.journal import actions as rules
from afterglow.journal.models import Capture, Intention, Session
from tests.journal.course_factories import at, checkin, course, days_ago, entry, session


def full_session(patient, c, day, n: int) -> Session:
    """A session with everything the pages show: an intention, a capture, actions, check-ins and writing around it."""
    s = session(patient, c, day)
    Intention.objects.create(owner=patient, session=s, prompt_id="intention/hope", prompt_text="Hope", text=f"Hope {n}")
    Capture.objects.create(owner=patient, session=s, first_impression=f"Waves {n}", emotions=["awe"],
                           sensations={"nausea": 1 + n % 3}, signature={"hope": 2})  # fmt: skip
    rules.mark_done(rules.create_action(patient, f"Walk {n}", session=s))
    rules.create_action(patient, f"Call {n}", session=s)
    checkin(patient, day, mood=1 + n % 9)
    entry(patient, f"After session {n} the harbour light and the lighthouse keeper", at(day, 20))
    return s


def queries(client, path: str) -> int:
    """How many queries a view of `path` makes, with the themes worked out from nothing (as after a start)."""
    themes.forget()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_full_review_reads_as_often_with_eight_sessions_as_with_two(client, patient):
    # Inside a test transaction nothing is kept, so every view draws every section from the database.
    c = course(patient, days_ago(80))
    for n in range(2):
        full_session(patient, c, days_ago(70 - n * 7), n)
    client.get("/course/review")
    few = queries(client, "/course/review")
    for n in range(2, 8):
        full_session(patient, c, days_ago(70 - n * 7), n)
    assert queries(client, "/course/review") == few


@pytest.mark.django_db
def test_compare_reads_as_often_for_six_sessions_as_for_two(client, patient):
    c = course(patient, days_ago(80))
    sessions = [full_session(patient, c, days_ago(70 - n * 7), n) for n in range(6)]
    two = "/course/compare?" + "&".join(f"s={s.pk}" for s in sessions[:2])
    six = "/course/compare?" + "&".join(f"s={s.pk}" for s in sessions)
    client.get(two)
    assert queries(client, six) == queries(client, two)


@pytest.mark.django_db(transaction=True)
def test_an_unchanged_journal_draws_the_review_from_what_was_kept(client, patient):
    c = course(patient, days_ago(40))
    for n in range(3):
        full_session(patient, c, days_ago(30 - n * 7), n)
    first = client.get("/course/review").content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/course/review").content.decode()
    touched = " ".join(q["sql"] for q in captured.captured_queries)
    assert "journal_intention" not in touched and "journal_integrationaction" not in touched
    assert again.count("evolution-") == first.count("evolution-") and "Hope 2" in again


@pytest.mark.django_db(transaction=True)
def test_a_note_or_action_saved_between_two_views_is_on_the_second(client, patient):
    c = course(patient, days_ago(40))
    s = full_session(patient, c, days_ago(30), 0)
    assert "Swim at dawn" not in client.get("/course/review").content.decode()
    intention = Intention.objects.get(session=s)
    intention.evolution_note = "Now it is about rest"
    intention.save()
    rules.create_action(patient, "Swim at dawn", session=s)
    page = client.get("/course/review").content.decode()
    assert "Now it is about rest" in page and "Swim at dawn" in page
    assert "kept <strong>1</strong> of 3 actions" in page


@pytest.mark.django_db(transaction=True)
def test_the_kept_review_still_carries_a_fresh_form_token(client, patient):
    c = course(patient, days_ago(40))
    full_session(patient, c, days_ago(30), 0)
    client.get("/course/review")
    page = client.get("/course/review").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and "data-autosave" in page


@pytest.mark.django_db(transaction=True)
def test_a_compare_page_kept_for_one_patient_is_never_shown_for_a_session_of_theirs_that_changed(client, patient):
    c = course(patient, days_ago(40))
    s1, s2 = full_session(patient, c, days_ago(30), 0), full_session(patient, c, days_ago(20), 1)
    path = f"/course/compare?s={s1.pk}&s={s2.pk}"
    assert "Waves 0" in client.get(path).content.decode()
    Capture.objects.filter(session=s1).update(first_impression="Slow tide")
    page = client.get(path).content.decode()
    assert "Slow tide" in page and "Waves 0" not in page
