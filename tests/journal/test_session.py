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
    same_day = {**FORM, "date": make.days_ago(2).isoformat(), "time": "10:00", "dose": "60 mg"}
    response = make.submit(client, f"/sessions/{s.pk}/edit", same_day)
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.number, s.dose) == (2, "60 mg")


def test_an_earlier_session_added_later_is_session_1_and_links_still_open_the_same_session(client, patient):
    c = make.course(patient, programme="six-session")
    today = make.submit(client, "/sessions/new", {**FORM, "date": make.days_ago(0).isoformat(), "dose": "today"})
    earlier = make.submit(client, "/sessions/new", {**FORM, "date": make.days_ago(4).isoformat(), "dose": "earlier"})
    assert today.url != earlier.url
    assert "Session 1 saved." in client.get(earlier.url).content.decode()
    by_dose = {s.dose: s for s in Session.objects.filter(course=c)}
    assert (by_dose["earlier"].number, by_dose["today"].number) == (1, 2)
    first_page = client.get(earlier.url).content.decode()
    assert "<h1>Session 1</h1>" in first_page and "earlier" in first_page
    assert "<h1>Session 2</h1>" in client.get(today.url).content.decode()
    assert f"/sessions/{by_dose['today'].pk}" == today.url
    reflect = client.get(f"/sessions/{by_dose['earlier'].pk}/reflect").content.decode()
    assert "Reflect on session 1" in reflect and "The first session is a beginning" in reflect
    course_page = client.get("/course").content.decode()
    assert course_page.index("earlier") < course_page.index("today")


def test_moving_a_session_to_an_earlier_date_renumbers_the_course(client, patient):
    c = make.course(patient)
    first = make.session(patient, c, make.days_ago(9))
    later = make.session(patient, c, make.days_ago(2))
    response = make.submit(client, f"/sessions/{later.pk}/edit", {**FORM, "date": make.days_ago(12).isoformat()})
    assert response.url == f"/sessions/{later.pk}"
    assert "Session 1 saved." in client.get(response.url).content.decode()
    first.refresh_from_db()
    later.refresh_from_db()
    assert (later.number, first.number) == (1, 2)


def test_sessions_on_the_same_day_go_by_time_then_by_when_they_were_added(patient):
    c = make.course(patient)
    afternoon = make.session(patient, c, make.days_ago(1), hour=15)
    morning = make.session(patient, c, make.days_ago(1), hour=9)
    also_morning = make.session(patient, c, make.days_ago(1), hour=9)
    numbers = dict(Session.objects.values_list("pk", "number"))
    assert [numbers[s.pk] for s in (morning, also_morning, afternoon)] == [1, 2, 3]


def test_deleting_a_session_closes_the_gap(patient):
    c = make.course(patient)
    sessions = [make.session(patient, c, make.days_ago(n)) for n in (9, 6, 3, 1)]
    sessions[1].delete()
    Session.objects.filter(pk=sessions[2].pk).delete()
    assert list(Session.objects.filter(course=c).order_by("started_at").values_list("number", flat=True)) == [1, 2]


def test_moving_a_session_to_another_course_renumbers_both(patient):
    spring, autumn = make.course(patient, make.days_ago(60)), make.course(patient, make.days_ago(20))
    a, b = make.session(patient, spring, make.days_ago(50)), make.session(patient, spring, make.days_ago(40))
    c = make.session(patient, autumn, make.days_ago(10))
    a.course = autumn
    a.save()
    numbers = dict(Session.objects.values_list("pk", "number"))
    assert (numbers[b.pk], numbers[a.pk], numbers[c.pk]) == (1, 1, 2)


def test_each_course_is_numbered_on_its_own(patient):
    spring, autumn = make.course(patient, make.days_ago(60)), make.course(patient, make.days_ago(20))
    make.session(patient, autumn, make.days_ago(10))
    make.session(patient, spring, make.days_ago(50))
    assert sorted(Session.objects.values_list("number", flat=True)) == [1, 1]


def test_the_upgrade_renumbers_sessions_added_out_of_order(patient):
    import importlib

    from django.apps import apps

    c = make.course(patient)
    today, earlier = make.session(patient, c, make.days_ago(0)), make.session(patient, c, make.days_ago(5))
    # As the old rule left them: numbered in the order they were added.
    Session.objects.filter(pk=today.pk).update(number=10)
    Session.objects.filter(pk=earlier.pk).update(number=2)
    Session.objects.filter(pk=today.pk).update(number=1)
    migration = importlib.import_module("afterglow.journal.migrations.0003_i11course_sessions_by_date")
    migration.renumber_every_course(apps, None)
    numbers = dict(Session.objects.values_list("pk", "number"))
    assert (numbers[earlier.pk], numbers[today.pk]) == (1, 2)
    assert Session.objects.count() == 2


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


def test_the_days_after_count_from_the_dose_not_from_the_mornings_check_in(client, patient):
    day = make.days_ago(1)
    s = make.session(patient, make.course(patient), day, hour=10)
    make.checkin(patient, day, mood=3, note="waiting room nerves", at=make.at(day, 8))
    make.checkin(patient, day, mood=7, note="on the way home", at=make.at(day, 13))
    make.checkin(patient, day, mood=6, note="evening quiet", at=make.at(day, 21))
    days_after = client.get(f"/sessions/{s.pk}").content.decode().split('id="days-title"')[1]
    assert "waiting room nerves" not in days_after
    assert days_after.index("on the way home") < days_after.index("evening quiet")
