from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from afterglow.insights.views import intention_threads
from afterglow.journal import actions as rules
from afterglow.journal.models import Intention
from tests.prompts.helpers import make_course, make_session, stranger, submit

pytestmark = pytest.mark.django_db


def intend(session, prompt_id: str, text: str, **fields) -> Intention:
    return Intention.objects.create(
        owner=session.owner, session=session, prompt_id=prompt_id, prompt_text=f"Prompt {prompt_id}", text=text, **fields
    )


@pytest.fixture
def course(patient):
    return make_course(patient, programme="six-session")


def test_threads_line_up_the_same_prompt_across_sessions(course):
    s1, s2 = make_session(course), make_session(course, 7)
    intend(s1, "intention/hope", "Rest")
    intend(s1, "intention/afraid", "Losing control")
    intend(s2, "intention/hope", "Play")
    threads = intention_threads(list(course.sessions.order_by("number")))
    assert [(t.prompt_text, [i.text for _, i in t.items]) for t in threads] == [
        ("Prompt intention/hope", ["Rest", "Play"]),
        ("Prompt intention/afraid", ["Losing control"]),
    ]


def test_it_shows_every_intention_with_fit_and_revisit_note(client, course):
    s1, s2 = make_session(course), make_session(course, 7)
    intend(s1, "intention/hope", "Rest", fit=Intention.Fit.MOSTLY, revisit_note="It was gentle")
    intend(s2, "intention/hope", "Play")
    body = client.get("/course/review").content.decode()
    assert "Rest" in body and "Play" in body
    assert "Fit: Mostly" in body and "It was gentle" in body
    assert "Not looked back on yet" in body


def test_it_counts_actions_kept_and_open_per_session(client, patient, course):
    s1 = make_session(course)
    kept = rules.create_action(patient, "Walk", session=s1)
    rules.mark_done(kept)
    rules.create_action(patient, "Call Ana", session=s1)
    body = client.get("/course/review").content.decode()
    assert "kept <strong>1</strong> of 2 actions" in body
    assert "Call Ana" in body


def test_it_saves_how_an_intention_evolved(client, course):
    i = intend(make_session(course), "intention/hope", "Rest")
    response = submit(client, "/course/review", {f"evolution-{i.pk}": "Now I want rest and play"})
    assert response.status_code == 302
    i.refresh_from_db()
    assert i.evolution_note == "Now I want rest and play"


def test_a_too_long_note_is_refused_and_kept(client, course):
    i = intend(make_session(course), "intention/hope", "Rest")
    typed = "evolving " * 700
    response = submit(client, "/course/review", {f"evolution-{i.pk}": typed})
    assert response.status_code == 422
    assert typed.strip() in response.content.decode()
    i.refresh_from_db()
    assert i.evolution_note == ""


def test_without_a_course_it_points_to_setting_one_up(client):
    body = client.get("/course/review").content.decode()
    assert "Set up your course" in body


def test_someone_elses_course_is_a_404(client, patient):
    theirs = make_course(stranger())
    assert client.get(f"/course/review?course={theirs.pk}").status_code == 404


def test_someone_elses_intentions_never_appear(client, course):
    make_session(course)
    theirs = make_session(make_course(stranger()))
    intend(theirs, "intention/hope", "Their private hope")
    assert "Their private hope" not in client.get("/course/review").content.decode()


def test_the_number_of_queries_does_not_grow_with_sessions(client, course):
    for n in range(3):
        intend(make_session(course, n * 7), "intention/hope", f"Hope {n}")
    client.get("/course/review")
    with CaptureQueriesContext(connection) as few:
        client.get("/course/review")
    for n in range(3, 8):
        intend(make_session(course, n * 7), "intention/hope", f"Hope {n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/course/review")
    assert len(many) == len(few)


def test_how_an_intention_evolved_saves_in_the_background_as_it_is_typed(client, course):
    from tests.conftest import csrf_post

    i = intend(make_session(course), "intention/hope", "Rest")
    client.get("/course/review")
    response = csrf_post(client, "/course/review", {f"evolution-{i.pk}": "Rest, then play"}, HTTP_ACCEPT="application/json")
    assert response.json()["ok"] is True
    i.refresh_from_db()
    assert i.evolution_note == "Rest, then play"
