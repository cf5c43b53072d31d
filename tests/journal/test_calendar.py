"""The calendar: a month of session days, moods and writing; each day opens its own page."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from afterglow.journal import calendar
from afterglow.journal.models import Entry
from tests.journal import course_factories as make

CSS = Path(__file__).resolve().parents[2] / "afterglow" / "static" / "css" / "calendar.css"


def month_url(day: date) -> str:
    return f"/calendar/{day:%Y/%m}"


def cell(body: str, day: date) -> str:
    """The table cell of one day of the month on the page."""
    start = r'<td class="cal-day[^"]*">\s*<(?:a|span) class="cal-cell"[^>]*>\s*'
    match = re.search(rf'{start}<span class="cal-num" aria-hidden="true">{day.day}</span>.*?</td>', body, re.S)
    assert match, f"no cell for {day}"
    return match.group(0)


def test_it_marks_session_days_moods_and_writing(client, patient):
    day = date(2025, 3, 12)
    c = make.course(patient, day)
    s = make.session(patient, c, day, hour=10)
    make.checkin(patient, day, mood=4, at=make.at(day, 8))
    make.checkin(patient, day, mood=7, at=make.at(day, 18))
    make.entry(patient, "after the session", when=make.at(day, 15))
    body = client.get(month_url(day)).content.decode()
    here = cell(body, day)
    assert f'href="/calendar/{day:%Y/%m/%d}"' in here
    assert f"session {s.number}" in here and f">S{s.number}<" in here
    assert 'class="cal-mood mood-6"' in here and ">5.5<" in here  # (4 + 7) / 2, rounded half up for the colour
    assert "mood 5.5 out of 10 (the mean of 2 check-ins)" in here
    assert 'class="cal-dot"' in here and ", writing" in here


def test_it_is_a_real_table_with_weekday_headers_and_neighbouring_months(client, patient):
    body = client.get("/calendar/2025/03").content.decode()
    assert "<caption>March 2025</caption>" in body
    assert body.count('<th scope="col">') == 7 and '<abbr title="Monday">Mon</abbr>' in body
    # March 2025 starts on a Saturday: five cells of February before it, and the month runs over six weeks.
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", body, re.S).group(1)
    assert first_row.count('class="cal-out"') == 5
    assert body.count("<tr>") == 1 + 6
    assert 'href="/calendar/2025/02"' in body and 'href="/calendar/2025/04"' in body


def test_days_with_nothing_in_the_future_are_not_links(client, patient):
    future = date(2199, 6, 15)
    body = client.get(month_url(future)).content.decode()
    assert 'href="/calendar/2199/06/15"' not in body and '<span class="cal-cell">' in body
    c = make.course(patient)
    make.session(patient, c, future)
    assert 'href="/calendar/2199/06/15"' in client.get(month_url(future)).content.decode()


def test_it_shows_only_this_patients_journal(client, patient):
    other = make.stranger()
    day = timezone.localdate()
    make.checkin(other, day, mood=9)
    make.entry(other, "a stranger's words")
    make.session(other, make.course(other), day)
    body = client.get("/calendar").content.decode()
    table = body.split("<tbody>")[1].split("</tbody>")[0]
    assert "cal-mood" not in table and "cal-dot" not in table
    assert "cal-session-day" not in body
    day_page = client.get(f"/calendar/{day:%Y/%m/%d}").content.decode()
    assert "stranger" not in day_page and "Session 1" not in day_page


def test_the_day_page_holds_the_days_check_ins_and_entries_in_time_order(client, patient):
    day = make.days_ago(3)
    make.checkin(patient, day, mood=3, note="morning fog", at=make.at(day, 7, 30))
    make.entry(patient, "midday words", when=make.at(day, 12))
    make.checkin(patient, day, mood=6, note="evening calm", pain=2, at=make.at(day, 21))
    make.entry(patient, "the next day", when=make.at(make.days_ago(2), 0, 5))
    body = client.get(f"/calendar/{day:%Y/%m/%d}").content.decode()
    assert body.index("morning fog") < body.index("midday words") < body.index("evening calm")
    assert "the next day" not in body and "Pain" in body
    assert f'href="/calendar/{make.days_ago(4):%Y/%m/%d}"' in body and f'href="/calendar/{day:%Y/%m}"' in body
    assert f"/checkin?day={day.isoformat()}" in body


@pytest.mark.parametrize(
    "url",
    [
        "/calendar/2025/13",
        "/calendar/2025/0",
        "/calendar/1899/12",
        "/calendar/2201/01",
        "/calendar/2025/02/30",
        "/calendar/99999999999999999999/1/1",
        "/calendar/2025/1/99999999999999999999",
    ],
)
def test_a_month_or_day_not_on_the_calendar_is_a_kind_404(client, patient, url):
    response = client.get(url)
    assert response.status_code == 404 and "no such" in response.content.decode()


def test_the_month_page_takes_a_few_queries(client, patient, django_assert_max_num_queries):
    c = make.course(patient)
    for n in range(25):
        make.checkin(patient, make.days_ago(n), mood=1 + n % 10)
        make.entry(patient, f"words {n}", when=make.at(make.days_ago(n), 9))
    for n in range(0, 25, 5):
        make.session(patient, c, make.days_ago(n))
    with django_assert_max_num_queries(8):
        assert client.get("/calendar").status_code == 200


def test_the_calendar_is_in_the_navigation(client, patient):
    body = client.get("/").content.decode()
    assert '<a href="/calendar" >Calendar</a>' in body or 'href="/calendar"' in body
    assert 'href="/calendar" aria-current="page"' in client.get("/calendar").content.decode()


def test_mood_rounds_half_up_and_shows_one_decimal():
    day = calendar.Day(date(2025, 3, 1), True, False, mood=6.5)
    assert (day.mood_level, day.mood_text) == (7, "6.5")
    assert (calendar.Day(date(2025, 3, 1), True, False, mood=7.0).mood_text) == "7"
    assert calendar.Day(date(2025, 3, 1), True, False, mood=1.0).mood_level == 1
    # The colour follows the number shown: 6.45 shows as 6.5, so it is coloured as 7.
    assert (calendar.Day(date(2025, 3, 1), True, False, mood=6.45).mood_text) == "6.5"
    assert calendar.Day(date(2025, 3, 1), True, False, mood=6.45).mood_level == 7
    assert calendar.Day(date(2025, 3, 1), True, False, mood=17 / 3).mood_text == "5.7"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_mood_colour_keeps_its_number_readable_and_the_scale_runs_dark_to_light():
    rules = re.findall(r"\.mood-(\d+) \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}", CSS.read_text())
    assert [int(n) for n, _, _ in rules] == list(range(1, 11))
    for _, background, text in rules:
        light, dark = sorted([luminance(background), luminance(text)], reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, background
    # One direction of lightness, so the order survives greyscale print and colour-vision differences.
    lightness = [luminance(background) for _, background, _ in rules]
    assert lightness == sorted(lightness)


@override_settings(TIME_ZONE="America/New_York")
def test_writing_is_counted_on_its_local_day_across_clock_changes(patient):
    new_york = ZoneInfo("America/New_York")
    with timezone.override(new_york):
        for moment in [
            datetime(2025, 3, 9, 0, 30, tzinfo=new_york),  # the short day: clocks go forward at 2:00
            datetime(2025, 3, 9, 23, 30, tzinfo=new_york),  # already 10 March in UTC
            datetime(2025, 11, 2, 23, 59, tzinfo=new_york),  # the long day
            datetime(2025, 11, 3, 0, 0, tzinfo=new_york),
        ]:
            make.entry(patient, "words", when=moment)
        blank = datetime(2025, 3, 8, 12, tzinfo=new_york)  # an empty page (a draft never written in): not writing
        Entry.objects.create(owner=patient, text="", created_at=blank, updated_at=blank)
        counts = calendar.writing_per_day(patient, date(2025, 3, 1), date(2025, 11, 30))
    assert counts == {date(2025, 3, 9): 2, date(2025, 11, 2): 1, date(2025, 11, 3): 1}
