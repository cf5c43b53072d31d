from __future__ import annotations

from afterglow.journal.models import Course, Programme
from tests.journal import course_factories as make


def test_it_offers_to_set_up_a_course_when_there_is_none(client, patient):
    response = client.get("/course")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Set up your course" in body
    assert 'name="start_date"' in body
    assert "6-infusion programme" in body and "Recall → reflection → action" in body


def test_it_creates_a_course(client, patient):
    response = make.submit(
        client,
        "/course",
        {"start_date": "2025-03-01", "title": "Spring", "clinic": "Harbour Clinic", "programme": Programme.SIX_SESSION},
    )
    assert response.status_code == 302 and response.url == "/course"
    course = Course.objects.get(owner=patient)
    assert (course.title, course.clinic, course.programme) == ("Spring", "Harbour Clinic", "six-session")
    assert str(course.start_date) == "2025-03-01"


def test_it_accepts_a_course_without_a_programme(client, patient):
    make.submit(client, "/course", {"start_date": "2025-03-01", "programme": ""})
    assert Course.objects.get(owner=patient).programme == ""


def test_an_impossible_start_date_keeps_what_was_typed(client, patient):
    response = make.submit(client, "/course", {"start_date": "2025-02-30", "title": "Autumn series", "clinician": "Dr Reyes"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "does not exist on the calendar" in body
    assert 'value="Autumn series"' in body and 'value="Dr Reyes"' in body and 'value="2025-02-30"' in body
    assert not Course.objects.exists()


def test_an_unknown_programme_is_refused_kindly(client, patient):
    response = make.submit(client, "/course", {"start_date": "2025-03-01", "programme": "ten-session"})
    assert response.status_code == 400
    assert "pick one of the listed programmes" in response.content.decode()


def test_it_lists_the_sessions_of_the_course(client, patient):
    c = make.course(patient, title="Spring")
    make.session(patient, c, make.days_ago(10), route="iv", dose="0.5 mg/kg")
    make.session(patient, c, make.days_ago(3))
    body = client.get("/course").content.decode()
    assert "Spring" in body
    assert body.index("Session 1") < body.index("Session 2")
    assert "IV infusion" in body and "0.5 mg/kg" in body


def test_it_edits_the_course(client, patient):
    c = make.course(patient, title="Spring")
    response = make.submit(client, "/course/edit", {"start_date": "2025-01-05", "title": "Winter", "programme": "three-stage"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.title, c.programme, str(c.start_date)) == ("Winter", "three-stage", "2025-01-05")


def test_a_new_course_becomes_the_current_one(client, patient):
    make.course(patient, title="First", start=make.days_ago(100))
    make.submit(client, "/course/new", {"start_date": make.days_ago(1).isoformat(), "title": "Boosters"})
    body = client.get("/course").content.decode()
    assert "<h1>Boosters</h1>" in body
    assert "Earlier courses" in body and "First" in body


def test_it_does_not_show_another_patients_course(client, patient):
    make.course(make.stranger(), title="Not yours")
    body = client.get("/course").content.decode()
    assert "Not yours" not in body and "Set up your course" in body


def test_posting_without_the_csrf_token_is_refused(client, patient):
    response = client.post("/course", {"start_date": "2025-03-01"})
    assert response.status_code == 403
    assert not Course.objects.exists()
