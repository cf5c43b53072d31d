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
    assert body.count('class="scale"') == 4
    assert body.count('name="mood"') == 10 and body.count('name="anxiety"') == 11 and body.count('name="energy"') == 10
    assert body.count('name="pain"') == 11 and 'name="time"' in body
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
    assert f"Check-in for today at {timezone.localtime(c.at):%H:%M} saved." in client.get("/").content.decode()


def test_checking_in_again_the_same_day_keeps_both_with_their_times(client, patient):
    now = timezone.localtime()
    earlier = max(now - timedelta(minutes=90), now.replace(hour=0, minute=0)).strftime("%H:%M")  # still today
    make.submit(client, "/checkin", {**GOOD, "day": today(), "time": earlier})
    make.submit(client, "/checkin", {"mood": "4", "day": today(), "note": "Tired after all"})
    first, second = CheckIn.objects.filter(owner=patient).order_by("at")
    assert (first.mood, first.note, timezone.localtime(first.at).strftime("%H:%M")) == (6, "Walked by the river", earlier)
    assert (second.mood, second.anxiety, second.note) == (4, None, "Tired after all")
    assert abs(second.at - timezone.now()) < timedelta(minutes=1)


def test_it_saves_an_optional_pain_rating(client, patient):
    make.submit(client, "/checkin", {**GOOD, "day": today(), "pain": "7"})
    make.submit(client, "/checkin", {"mood": "5", "day": today()})
    assert sorted(CheckIn.objects.values_list("pain", flat=True), key=str) == [7, None]


def test_an_earlier_day_without_a_time_is_placed_at_midday(client, patient):
    day = timezone.localdate() - timedelta(days=4)
    make.submit(client, "/checkin", {"mood": "3", "day": day.isoformat(), "time": ""})
    local = timezone.localtime(CheckIn.objects.get().at)
    assert (local.date(), local.hour, local.minute) == (day, 12, 0)


def test_it_changes_one_check_in_and_leaves_the_others_of_the_day(client, patient):
    day = timezone.localdate() - timedelta(days=1)
    morning = make.checkin(patient, day, mood=3, at=make.at(day, 8, 15))
    evening = make.checkin(patient, day, mood=6, at=make.at(day, 21, 0))
    body = client.get(f"/checkin/{morning.pk}").content.decode()
    assert checked(body, "mood") == ["3"] and 'value="08:15"' in body
    response = make.submit(client, f"/checkin/{morning.pk}", {"mood": "4", "day": day.isoformat(), "time": "09:00", "pain": "2"})
    assert response.status_code == 302
    morning.refresh_from_db()
    evening.refresh_from_db()
    assert (morning.mood, morning.pain, timezone.localtime(morning.at).hour) == (4, 2, 9)
    assert evening.mood == 6 and CheckIn.objects.count() == 2


def test_another_patients_check_in_is_not_there(client, patient):
    theirs = make.checkin(make.stranger(), timezone.localdate(), mood=9)
    assert client.get(f"/checkin/{theirs.pk}").status_code == 404
    assert make.submit(client, f"/checkin/{theirs.pk}", {"mood": "1", "day": today()}, page="/checkin").status_code == 404
    theirs.refresh_from_db()
    assert theirs.mood == 9


def test_a_later_time_today_is_refused_kindly(client, patient):
    now = timezone.localtime()
    if now.hour == 23:
        pytest.skip("no later hour left today")
    later = f"{now.hour + 1:02d}:59"
    response = make.submit(client, "/checkin", {**GOOD, "day": today(), "time": later})
    assert response.status_code == 400 and "has not come yet" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_it_fills_in_an_earlier_day(client, patient):
    day = timezone.localdate() - timedelta(days=3)
    make.submit(client, "/checkin", {"mood": "2", "day": day.isoformat()})
    assert CheckIn.objects.get(owner=patient).day == day


def test_a_link_with_an_earlier_day_opens_a_new_check_in_for_it(client, patient):
    day = timezone.localdate() - timedelta(days=2)
    make.checkin(patient, day, mood=3, note="Heavy morning")
    body = client.get(f"/checkin?day={day.isoformat()}").content.decode()
    assert f'value="{day.isoformat()}"' in body and 'value="12:00"' in body and checked(body, "mood") == []


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
        ({"pain": "11"}, "Pain is a number from 0 to 10"),
        ({"time": "25:00"}, "does not look right"),
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
    mine = make.checkin(patient, timezone.localdate() - timedelta(days=1), mood=4)
    body = client.get("/checkin").content.decode()
    assert "mood 4" in body and "mood 9" not in body and f'href="/checkin/{mine.pk}"' in body


def test_the_domain_refuses_a_future_moment_and_out_of_range_answers(patient):
    with pytest.raises(ValidationError):
        save_checkin(patient, timezone.now() + timedelta(days=1), mood=5)
    with pytest.raises(ValidationError):
        save_checkin(patient, timezone.now() + timedelta(hours=1), mood=5)
    with pytest.raises(ValidationError):
        save_checkin(patient, timezone.now(), mood=11)
    with pytest.raises(ValidationError):
        save_checkin(patient, timezone.now(), mood=5, pain=11)
    assert not CheckIn.objects.exists()


def test_a_second_tap_on_save_does_not_make_a_second_check_in(client, patient):
    form = {**GOOD, "day": (timezone.localdate() - timedelta(days=1)).isoformat(), "time": "09:00"}
    make.submit(client, "/checkin", form)
    make.submit(client, "/checkin", form)
    make.submit(client, "/checkin", {**form, "mood": "7"})
    assert sorted(CheckIn.objects.values_list("mood", flat=True)) == [6, 7]


def test_a_check_in_made_by_mistake_can_be_deleted_after_asking(client, patient):
    day = timezone.localdate() - timedelta(days=1)
    kept = make.checkin(patient, day, mood=5, at=make.at(day, 9))
    mistake = make.checkin(patient, day, mood=1, at=make.at(day, 9, 1))
    assert f'href="/checkin/{mistake.pk}/delete"' in client.get(f"/checkin/{mistake.pk}").content.decode()
    body = client.get(f"/checkin/{mistake.pk}/delete").content.decode()
    assert "Delete this check-in?" in body and CheckIn.objects.count() == 2
    response = make.submit(client, f"/checkin/{mistake.pk}/delete", {}, page="/checkin")
    assert response.status_code == 302 and response.url == "/checkin"
    assert list(CheckIn.objects.all()) == [kept]


def test_another_patients_check_in_cannot_be_deleted(client, patient):
    theirs = make.checkin(make.stranger(), timezone.localdate(), mood=9)
    assert client.get(f"/checkin/{theirs.pk}/delete").status_code == 404
    assert make.submit(client, f"/checkin/{theirs.pk}/delete", {}, page="/checkin").status_code == 404
    assert CheckIn.objects.filter(pk=theirs.pk).exists()
