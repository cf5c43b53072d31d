"""One Settings page: every preference reachable, each section saving, bad input kept and explained."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from afterglow.journal.models import Course, Session
from afterglow.preferences.store import local
from afterglow.rhythm import preferences
from afterglow.vault import session as vault_session
from afterglow.web import display
from tests.conftest import csrf_post


def test_it_gathers_every_section_and_keeps_the_older_pages(client, patient):
    page = client.get("/settings").content.decode()
    for part in ('id="look"', 'id="reminders"', 'id="privacy"', 'id="backups"', 'id="safety"', 'id="export"'):
        assert part in page
    for link in ("/privacy/passphrase", "/privacy/recovery-key", "/settings/safety", "/export", "/reminders.ics"):
        assert f'href="{link}"' in page
    assert client.get("/privacy").status_code == 200 and client.get("/settings/safety").status_code == 200


def test_it_saves_the_look_and_every_page_follows_it(client, patient):
    assert csrf_post(client, "/settings/display", {"theme": "dark", "text": "large"}).status_code == 302
    assert display.load(local()) == display.Display("dark", "large")
    home = client.get("/help").content.decode()
    assert 'dark.css" media="screen"' in home and 'data-text="large"' in home


def test_it_refuses_a_look_it_does_not_have(client, patient):
    assert csrf_post(client, "/settings/display", {"theme": "neon", "text": "normal"}).status_code == 400
    assert display.load(local()) == display.Display()


def test_it_turns_on_only_the_chosen_reminders(client, patient):
    data = {"checkin_on": "on", "checkin_time": "21:30", "intention_time": "19:00", "time_zone": "Europe/Paris"}
    assert csrf_post(client, "/settings/reminders", data).status_code == 302
    chosen = preferences.load(local())
    assert list(chosen.times) == ["checkin"] and chosen.times["checkin"].hour == 21 and chosen.zone.key == "Europe/Paris"


def test_it_keeps_what_was_typed_when_a_time_is_wrong(client, patient):
    page = csrf_post(client, "/settings/reminders", {"checkin_on": "on", "checkin_time": "25:00", "time_zone": "UTC"})
    assert page.status_code == 400
    assert "is not a time of day" in page.content.decode() and 'value="25:00"' in page.content.decode()
    assert preferences.load(local()).times == {}


def test_it_sets_the_auto_lock_and_refuses_other_values(client, patient):
    assert csrf_post(client, "/settings/auto-lock", {"idle_minutes": "30"}).status_code == 302
    assert vault_session.idle_minutes() == 30
    assert csrf_post(client, "/settings/auto-lock", {"idle_minutes": "0"}).status_code == 400
    assert vault_session.idle_minutes() == 30


def test_it_downloads_a_calendar_with_the_booked_sessions(client, patient):
    preferences.save(local(), {"intention": "19:00"}, "UTC", detailed=False)
    course = Course.objects.create(owner=patient, start_date=timezone.localdate())
    Session.objects.create(owner=patient, course=course, started_at=timezone.now() + timedelta(days=200))
    response = client.get("/reminders.ics")
    assert response["Content-Type"].startswith("text/calendar") and "attachment" in response["Content-Disposition"]
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "Afterglow: a few minutes for yourself"


@pytest.mark.vault_locked
def test_the_calendar_and_todays_reminders_need_the_journal_open(client):
    assert client.get("/reminders.ics").status_code == 302
    assert client.get("/reminders/today.json").status_code == 302


def test_todays_reminders_list_only_what_is_still_ahead(client, patient):
    later = (timezone.localtime() + timedelta(minutes=30)).strftime("%H:%M")
    preferences.save(local(), {"checkin": later}, "", detailed=True)
    items = client.get("/reminders/today.json").json()["reminders"]
    if timezone.localtime().date() == (timezone.localtime() + timedelta(minutes=30)).date():
        assert [i["text"] for i in items] == ["A minute to notice how today has been, if you would like to check in."]


def test_a_chart_follows_the_chosen_look(client, patient):
    from afterglow.measures.models import MeasureResponse

    answers = {str(n): 1 for n in range(1, 10)}
    MeasureResponse.objects.create(owner=patient, instrument="phq9", answers=answers, finished_at=timezone.now())
    display.save(local(), "dark", "normal")
    chart = client.get("/measures/phq9/chart.svg").content.decode()
    assert '[style*="fill: #2b2f3a"]{fill: #e3e0d9 !important}' in chart and "prefers-color-scheme" not in chart


def test_it_follows_the_computers_zone_until_one_is_chosen(client, patient):
    page = client.get("/settings").content.decode()
    assert '<option value="" selected>This computer' in page
    csrf_post(client, "/settings/reminders", {"checkin_on": "on", "checkin_time": "20:00", "time_zone": ""})
    assert not preferences.load(local()).zone_chosen
    csrf_post(client, "/settings/reminders", {"checkin_on": "on", "checkin_time": "20:00", "time_zone": "Asia/Tokyo"})
    assert '<option value="Asia/Tokyo" selected>' in client.get("/settings").content.decode()


def test_it_asks_for_a_time_when_a_reminder_is_ticked_without_one(client, patient):
    page = csrf_post(client, "/settings/reminders", {"reflect_on": "on", "reflect_time": "", "time_zone": ""})
    assert page.status_code == 400 and "Please give “Reflection on days 1 and 2” a time" in page.content.decode()
    assert preferences.load(local()).times == {}
