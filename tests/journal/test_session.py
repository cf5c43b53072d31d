from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from afterglow.journal.models import Capture, IntegrationAction, Intention, Session
from tests.journal import course_factories as make

FORM = {"date": "2025-03-04", "time": "09:30", "route": "nasal", "dose": "56 mg", "setting": "Clinic room", "notes": ""}


def test_adding_a_session_needs_a_course_first(client, patient):
    response = client.get("/sessions/new")
    assert response.status_code == 302 and response.url == "/course"


def test_it_adds_sessions_numbered_within_the_course(client, patient):
    c = make.course(patient)
    first = make.submit(client, "/sessions/new", FORM)
    second = make.submit(client, "/sessions/new", {**FORM, "date": "2025-03-07", "route": "iv"})
    sessions = list(Session.objects.filter(course=c).order_by("number"))
    assert [s.number for s in sessions] == [1, 2]
    assert first.url == f"/sessions/{sessions[0].pk}" and second.url == f"/sessions/{sessions[1].pk}"
    s = sessions[0]
    local = timezone.localtime(s.started_at)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == ("2025-03-04", "09:30")
    assert (s.route, s.dose, s.setting, s.owner) == ("nasal", "56 mg", "Clinic room", patient)


def test_a_session_may_leave_the_route_unrecorded(client, patient):
    make.course(patient)
    make.submit(client, "/sessions/new", {**FORM, "route": ""})
    assert Session.objects.get().route == ""


def test_bad_session_input_is_shown_again_with_everything_typed(client, patient):
    make.course(patient)
    response = make.submit(client, "/sessions/new", {**FORM, "date": "2025-13-40", "time": "25:99", "dose": "0.75 mg/kg"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "does not exist on the calendar" in body and "time does not look right" in body
    assert 'value="0.75 mg/kg"' in body and "Clinic room" in body and 'value="2025-13-40"' in body
    assert re.search(r'<input[^>]*name="route"[^>]*value="nasal"[^>]*checked', body)
    assert not Session.objects.exists()


def test_it_edits_a_session_and_keeps_its_number(client, patient):
    c = make.course(patient)
    make.session(patient, c, make.days_ago(9))
    s = make.session(patient, c, make.days_ago(2))
    form = client.get(f"/sessions/{s.pk}/edit").content.decode()
    assert f'value="{make.days_ago(2).isoformat()}"' in form and 'value="10:00"' in form
    response = make.submit(client, f"/sessions/{s.pk}/edit", {**FORM, "dose": "60 mg"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.number, s.dose) == (2, "60 mg")


def test_the_session_page_gathers_what_surrounds_it(client, patient):
    c = make.course(patient)
    s = make.session(patient, c, make.days_ago(3), dose="0.5 mg/kg")
    Intention.objects.create(owner=patient, session=s, text="To meet my grief with some kindness")
    Capture.objects.create(owner=patient, session=s, first_impression="A wide blue quiet")
    make.entry(patient, "The garden again, and my grandmother", session=s)
    IntegrationAction.objects.create(owner=patient, session=s, what="Call my sister on Sunday")
    make.checkin(patient, make.days_ago(1), mood=7)
    body = client.get(f"/sessions/{s.pk}").content.decode()
    for text in [
        "Session 1",
        "0.5 mg/kg",
        "To meet my grief with some kindness",
        "A wide blue quiet",
        "The garden again, and my grandmother",
        "Call my sister on Sunday",
        "Day 2 after session 1",
    ]:
        assert text in body, text


def test_the_session_page_links_to_every_step_for_it(client, patient):
    s = make.session(patient, make.course(patient), make.days_ago(1))
    body = client.get(f"/sessions/{s.pk}").content.decode()
    for href in ["intention", "capture", "reflect"]:
        assert f'href="/sessions/{s.pk}/{href}"' in body
    assert f'href="/write?session={s.pk}"' in body and 'href="/actions"' in body


def test_the_days_after_stop_at_the_next_session(client, patient):
    c = make.course(patient)
    first = make.session(patient, c, make.days_ago(6))
    make.session(patient, c, make.days_ago(2))
    make.checkin(patient, make.days_ago(5), mood=3, note="after the first")
    make.checkin(patient, make.days_ago(1), mood=8, note="after the second")
    body = client.get(f"/sessions/{first.pk}").content.decode()
    assert "after the first" in body and "after the second" not in body


def test_another_patients_session_is_not_found(client, patient):
    other = make.stranger()
    s = make.session(other, make.course(other), make.days_ago(1))
    assert client.get(f"/sessions/{s.pk}").status_code == 404
    assert client.get(f"/sessions/{s.pk}/edit").status_code == 404
    assert make.submit(client, f"/sessions/{s.pk}/edit", FORM).status_code == 404
    s.refresh_from_db()
    assert s.dose == ""


def test_a_missing_session_is_a_kind_404(client, patient):
    response = client.get("/sessions/9999")
    assert response.status_code == 404 and "Traceback" not in response.content.decode()


def test_a_session_today_is_day_0(client, patient):
    s = make.session(patient, make.course(patient), timezone.localdate() - timedelta(days=0), hour=0)
    make.checkin(patient, timezone.localdate(), mood=6)
    assert "Session 1 day" in client.get(f"/sessions/{s.pk}").content.decode()


def test_an_upcoming_session_asks_for_an_intention_not_a_capture(client, patient):
    s = make.session(patient, make.course(patient), make.days_ago(-3))
    body = client.get(f"/sessions/{s.pk}").content.decode()
    assert "Coming up" in body and "Set an intention" in body
    assert "Start the quick capture" not in body
