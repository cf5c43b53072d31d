"""Days far outside a life (0001-01-01, 9999-12-31) are refused kindly everywhere a day is typed."""

from __future__ import annotations

import urllib.error
import urllib.parse
from datetime import date, timedelta

import pytest
from django.utils import timezone

from afterglow.journal.models import CheckIn, Course, IntegrationAction, Session
from afterglow.lib import dates
from tests.cli.verbs import refused
from tests.journal import course_factories as make
from tests.vault.conftest import _initialised_template, cli_env, home, ok  # noqa: F401
from tests.vault.conftest import run as run_cli
from tests.webclient import serving

SESSION = {"time": "09:30", "route": "nasal", "dose": "56 mg", "setting": "", "notes": ""}
CHECKIN = {"mood": "6", "note": "Walked by the river"}
TOO_EARLY = "before 1900"
TOO_LATE = "more than a year from now"


def in_days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def test_the_rule_keeps_planned_days_within_1900_and_a_year_or_so_ahead():
    today = date(2026, 6, 1)
    assert dates.check_planned(date(1900, 1, 1), today) == date(1900, 1, 1)
    assert dates.check_planned(date(2027, 6, 1), today) == date(2027, 6, 1)
    for far in (date(1, 1, 1), date(1899, 12, 31), date(2027, 9, 1), date(9999, 12, 31)):
        with pytest.raises(dates.DayOutOfRange):
            dates.check_planned(far, today)


def test_the_rule_keeps_lived_days_up_to_today():
    today = date(2026, 6, 1)
    assert dates.check_lived(today, today) == today
    with pytest.raises(dates.DayOutOfRange, match="not happened yet"):
        dates.check_lived(date(2026, 6, 2), today)
    with pytest.raises(dates.DayOutOfRange, match=TOO_EARLY):
        dates.check_lived(date(1, 1, 1), today)


@pytest.mark.parametrize("day, message", [("0001-01-01", TOO_EARLY), ("1899-12-31", TOO_EARLY), ("9999-12-31", TOO_LATE)])
def test_a_session_far_outside_a_life_is_refused_with_what_was_typed(client, patient, day, message):
    make.course(patient)
    response = make.submit(client, "/sessions/new", {**SESSION, "date": day})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and f'value="{day}"' in body and 'value="56 mg"' in body
    assert not Session.objects.exists()


def test_a_session_may_be_planned_months_ahead(client, patient):
    make.course(patient)
    assert make.submit(client, "/sessions/new", {**SESSION, "date": in_days(200)}).status_code == 302
    assert Session.objects.count() == 1


def test_editing_a_session_to_a_far_year_is_refused(client, patient):
    s = make.session(patient, make.course(patient), make.days_ago(3))
    response = make.submit(client, f"/sessions/{s.pk}/edit", {**SESSION, "date": "9999-12-31"})
    assert response.status_code == 400 and TOO_LATE in response.content.decode()
    s.refresh_from_db()
    assert timezone.localtime(s.started_at).date() == make.days_ago(3)


def test_the_date_inputs_say_their_range_to_the_browser(client, patient):
    body = client.get("/course").content.decode()
    assert 'min="1900-01-01"' in body and f'max="{in_days(400)}"' in body


@pytest.mark.parametrize("day, message", [("0001-01-01", TOO_EARLY), ("9999-12-31", TOO_LATE)])
def test_a_course_start_far_outside_a_life_is_refused(client, patient, day, message):
    response = make.submit(client, "/course", {"start_date": day, "title": "Spring"})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Course.objects.exists()


def test_a_check_in_before_1900_is_refused(client, patient):
    response = make.submit(client, "/checkin", {**CHECKIN, "day": "0001-01-01"})
    assert response.status_code == 400 and TOO_EARLY in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_check_in_link_to_a_far_day_opens_today(client, patient):
    body = client.get("/checkin?day=0001-01-01").content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in body


def test_an_action_due_in_a_far_year_is_refused(client, patient):
    response = make.submit(client, "/actions", {"what": "Walk by the river", "due": "9999-12-31"})
    assert response.status_code == 422 and TOO_LATE in response.content.decode()
    assert not IntegrationAction.objects.exists()


def test_the_cli_refuses_far_days_in_one_line(patient):
    assert TOO_EARLY in refused("session", "add", "--date", "0001-01-01")
    assert TOO_LATE in refused("session", "add", "--date", "9999-12-31")
    assert TOO_LATE in refused("session", "add", "--date", in_days(500))
    assert TOO_EARLY in refused("checkin", "--mood", "5", "--date", "1899-12-31")
    assert "not happened yet" in refused("checkin", "--mood", "5", "--date", in_days(1))
    assert not Session.objects.exists() and not CheckIn.objects.exists()


def test_the_served_app_refuses_far_days_and_still_draws_its_charts(home):  # noqa: F811  (the fixture imported above)
    ok(run_cli(home, "session", "add", "--date", make.days_ago(3).isoformat()))
    ok(run_cli(home, "measure", "phq9", "--answers", "1,1,1,1,1,1,1,1,0"))
    before = ok(run_cli(home, "session", "list"))
    with serving(cli_env(home)) as web:
        for day in ("0001-01-01", "9999-12-31"):
            fields = {"csrfmiddlewaretoken": web.token("/sessions/new"), **SESSION, "date": day}
            with pytest.raises(urllib.error.HTTPError) as refused_page:
                web.post("/sessions/new", urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")
            assert refused_page.value.code == 400
        assert web.get("/measures/phq9/chart.svg").lstrip().startswith(b"<?xml")
    assert ok(run_cli(home, "session", "list")) == before


def test_the_due_day_input_says_its_range(client, patient):
    body = client.get("/actions").content.decode()
    assert f'min="{timezone.localdate().isoformat()}" max="{in_days(400)}"' in body
