from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from afterglow.journal.checkins import save_checkin
from afterglow.journal.models import CheckIn
from tests.journal import course_factories as make

GOOD = {"mood": "6", "anxiety": "3", "sleep_hours": "7.5", "energy": "5", "note": "Walked by the river"}


def today() -> str:
    return timezone.localdate().isoformat()


def checked(body: str, name: str) -> list[str]:
    """The values of the ticked radio buttons called `name` in a page."""
    tags = re.findall(r"<input[^>]*>", body)
    return [re.search(r'value="([^"]*)"', t).group(1) for t in tags if f'name="{name}"' in t and " checked" in t]


def test_it_shows_big_scales_for_each_question(client, patient):
    body = client.get("/checkin").content.decode()
    assert body.count('class="scale"') == 3
    assert body.count('name="mood"') == 10 and body.count('name="anxiety"') == 11 and body.count('name="energy"') == 10
    assert "<legend" in body and 'for="id_note"' in body and f'value="{today()}"' in body


def test_it_saves_todays_check_in(client, patient):
    response = make.submit(client, "/checkin", {**GOOD, "day": today()})
    assert response.status_code == 302 and response.url == "/"
    c = CheckIn.objects.get(owner=patient)
    assert (c.day, c.mood, c.anxiety, c.sleep_hours, c.energy, c.note) == (
        timezone.localdate(),
        6,
        3,
        Decimal("7.5"),
        5,
        "Walked by the river",
    )
    assert "Check-in for today saved." in client.get("/").content.decode()


def test_checking_in_again_the_same_day_updates_it(client, patient):
    make.submit(client, "/checkin", {**GOOD, "day": today()})
    make.submit(client, "/checkin", {"mood": "4", "day": today(), "note": "Tired after all"})
    c = CheckIn.objects.get(owner=patient)
    assert (c.mood, c.anxiety, c.note) == (4, None, "Tired after all")


def test_it_fills_in_an_earlier_day(client, patient):
    day = timezone.localdate() - timedelta(days=3)
    make.submit(client, "/checkin", {"mood": "2", "day": day.isoformat()})
    assert CheckIn.objects.get(owner=patient).day == day


def test_it_opens_an_earlier_days_check_in_to_change_it(client, patient):
    day = timezone.localdate() - timedelta(days=2)
    make.checkin(patient, day, mood=3, note="Heavy morning")
    body = client.get(f"/checkin?day={day.isoformat()}").content.decode()
    assert "Heavy morning" in body and checked(body, "mood") == ["3"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mood": "11"}, "Mood is a number from 1 to 10"),
        ({"mood": ""}, "Please pick a number for mood"),
        ({"anxiety": "-1"}, "Anxiety is a number from 0 to 10"),
        ({"sleep_hours": "30"}, "at most 24"),
        ({"sleep_hours": "lots"}, "as a number"),
        ({"day": "2025-02-30"}, "does not exist on the calendar"),
        ({"day": "2999-01-01"}, "has not happened yet"),
    ],
)
def test_bad_input_is_shown_again_kindly_with_what_was_typed(client, patient, change, message):
    response = make.submit(client, "/checkin", {**GOOD, "day": today(), **change})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Walked by the river" in body
    assert checked(body, "energy") == ["5"]
    assert not CheckIn.objects.exists()


def test_a_future_day_keeps_the_typed_date_in_the_form(client, patient):
    body = make.submit(client, "/checkin", {**GOOD, "day": "2999-01-01"}).content.decode()
    assert 'value="2999-01-01"' in body
    assert checked(body, "mood") == ["6"] and checked(body, "anxiety") == ["3"] and checked(body, "energy") == ["5"]


def test_a_future_day_in_the_link_falls_back_to_today(client, patient):
    body = client.get("/checkin?day=2999-01-01").content.decode()
    assert f'value="{today()}"' in body


def test_it_rounds_sleep_to_a_tenth_of_an_hour(client, patient):
    make.submit(client, "/checkin", {**GOOD, "sleep_hours": "7.25", "day": today()})
    assert CheckIn.objects.get().sleep_hours == Decimal("7.3")


def test_it_lists_only_this_patients_recent_days(client, patient):
    make.checkin(make.stranger(), timezone.localdate(), mood=9, note="stranger's day")
    make.checkin(patient, timezone.localdate() - timedelta(days=1), mood=4)
    body = client.get("/checkin").content.decode()
    assert "mood 4" in body and "mood 9" not in body


def test_the_domain_refuses_a_future_day_and_an_out_of_range_mood(patient):
    with pytest.raises(ValidationError):
        save_checkin(patient, timezone.localdate() + timedelta(days=1), mood=5)
    with pytest.raises(ValidationError):
        save_checkin(patient, timezone.localdate(), mood=11)
    assert not CheckIn.objects.exists()
