"""The plain functions charts and the calendar read: daily means and check-ins in a span of time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from afterglow.journal.checkins import DayMeans, checkins_between, daily_means, save_checkin
from tests.journal import course_factories as make


def test_it_averages_each_answer_over_a_days_check_ins(patient):
    day = make.days_ago(3)
    make.checkin(patient, day, mood=4, anxiety=6, pain=8, sleep_hours=Decimal("5.0"), at=make.at(day, 8))
    make.checkin(patient, day, mood=7, anxiety=None, pain=2, at=make.at(day, 14))
    make.checkin(patient, day, mood=7, energy=6, at=make.at(day, 20))
    means = daily_means(patient, day, day)
    assert means == {day: DayMeans(mood=6.0, anxiety=6.0, sleep=5.0, energy=6.0, pain=5.0, count=3)}


def test_days_without_check_ins_are_absent_and_the_span_includes_both_ends(patient):
    start = make.days_ago(10)
    for n in (0, 4, 10, 11):
        make.checkin(patient, make.days_ago(n), mood=n % 10 + 1)
    means = daily_means(patient, start, make.days_ago(0))
    assert sorted(means) == [make.days_ago(10), make.days_ago(4), make.days_ago(0)]
    assert all(m.count == 1 and m.anxiety is None and m.pain is None for m in means.values())


def test_it_reads_only_the_patients_own_check_ins(patient):
    make.checkin(make.stranger(), make.days_ago(1), mood=9)
    make.checkin(patient, make.days_ago(1), mood=2)
    assert daily_means(patient, make.days_ago(1), make.days_ago(1))[make.days_ago(1)].mood == 2.0
    start = make.at(make.days_ago(2), 0)
    assert [c.mood for c in checkins_between(patient, start, timezone.now())] == [2]


def test_checkins_between_is_half_open_and_in_time_order(patient):
    day = make.days_ago(1)
    late = make.checkin(patient, day, mood=5, at=make.at(day, 18))
    early = make.checkin(patient, day, mood=3, at=make.at(day, 6))
    make.checkin(patient, day, mood=8, at=make.at(day, 20))
    assert list(checkins_between(patient, make.at(day, 6), make.at(day, 20))) == [early, late]


@override_settings(TIME_ZONE="America/New_York")
def test_a_late_evening_check_in_belongs_to_its_local_day_across_a_clock_change(patient):
    new_york = ZoneInfo("America/New_York")
    with timezone.override(new_york):
        # 9 March 2025: clocks went forward in New York; 23:30 there is already the 10th in UTC.
        at = datetime(2025, 3, 9, 23, 30, tzinfo=new_york)
        checkin = save_checkin(patient, at, mood=6)
        assert checkin.day == date(2025, 3, 9)
        assert daily_means(patient, date(2025, 3, 9), date(2025, 3, 9))[date(2025, 3, 9)].mood == 6.0
        assert not daily_means(patient, date(2025, 3, 10), date(2025, 3, 10))


def test_a_check_in_made_with_only_a_day_stands_at_its_noon(patient):
    checkin = make.checkin(patient, make.days_ago(2), mood=4)
    local = timezone.localtime(checkin.at)
    assert (local.date(), local.hour) == (make.days_ago(2), 12)


@pytest.mark.parametrize("minutes", [0, 4])
def test_a_phone_clock_a_little_ahead_still_counts_as_now(patient, minutes):
    save_checkin(patient, timezone.now() + timedelta(minutes=minutes), mood=5)
