from __future__ import annotations

from datetime import date, timedelta

from afterglow.measures.suggest import measure_due
from tests.conftest import csrf_post
from tests.journal import course_factories as make

TODAY = date(2026, 3, 10)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def test_it_suggests_a_first_measure():
    assert measure_due(None, None, TODAY)


def test_it_suggests_again_after_two_weeks_not_before():
    assert not measure_due(days(-13), None, TODAY)
    assert measure_due(days(-14), None, TODAY)


def test_it_suggests_one_before_a_near_session_unless_just_taken():
    assert measure_due(days(-5), days(2), TODAY)
    assert not measure_due(days(-1), days(2), TODAY)
    assert not measure_due(days(-5), days(3), TODAY)


def test_home_page_offers_the_measures_gently_and_stops_once_taken(client, patient):
    c = make.course(patient)
    make.session(patient, c, make.days_ago(1))
    assert 'the <a href="/measures">PHQ-9 and GAD-7</a>' in client.get("/").content.decode()
    csrf_post(client, "/measures/phq9/take", {f"item-{n}": "0" for n in range(1, 10)} | {"uid": "", "go": "finish"})
    home = client.get("/").content.decode()
    assert 'the <a href="/measures">PHQ-9 and GAD-7</a>' not in home
