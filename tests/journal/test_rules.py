from __future__ import annotations

from datetime import date

from afterglow.journal import rules
from afterglow.journal.rules import Position, day_after, in_integration_window, position, what_helps_now

TODAY = date(2025, 3, 10)


def nudges(pos: Position, **overrides: object) -> list[str]:
    facts = dict(has_capture=True, reflections=1, checked_in_today=True, open_actions=0, upcoming_without_intention=False)
    facts.update(overrides)
    return [n.key for n in what_helps_now(pos, **facts)]  # type: ignore[arg-type]


def test_it_counts_the_session_day_as_day_0():
    assert day_after(TODAY, TODAY) == 0
    assert day_after(date(2025, 3, 8), TODAY) == 2


def test_it_counts_days_across_a_month_end():
    assert day_after(date(2025, 2, 27), date(2025, 3, 2)) == 3


def test_the_integration_window_is_the_session_day_and_the_three_after():
    assert [d for d in range(-2, 8) if in_integration_window(d)] == [0, 1, 2, 3]
    assert rules.INTEGRATION_WINDOW_DAYS == 3


def test_it_places_today_after_the_latest_session_on_or_before_it():
    pos = position([(1, date(2025, 3, 1)), (3, date(2025, 3, 8)), (2, date(2025, 3, 4)), (4, date(2025, 3, 15))], TODAY)
    assert (pos.session_number, pos.day) == (3, 2)
    assert pos.headline() == "Day 2 after session 3 — your integration window"


def test_it_says_when_a_session_is_today():
    pos = position([(1, date(2025, 3, 3)), (2, TODAY)], TODAY)
    assert pos.headline() == "Session 2 is today — your integration window"


def test_it_drops_the_window_after_day_3():
    pos = position([(1, date(2025, 3, 6))], TODAY)
    assert pos.day == 4 and not pos.in_window
    assert pos.headline() == "Day 4 after session 1"


def test_before_the_first_session_it_counts_down():
    assert position([(1, date(2025, 3, 15))], TODAY).headline() == "Your first session is in 5 days"
    assert position([(1, date(2025, 3, 11))], TODAY).headline() == "Your first session is tomorrow"


def test_with_no_sessions_it_simply_welcomes():
    pos = position([], TODAY)
    assert pos.session_number is None and pos.day is None and not pos.in_window
    assert pos.headline().startswith("Welcome")


def test_it_suggests_the_capture_only_while_it_is_fresh():
    for day, expected in [(0, True), (2, True), (3, False)]:
        keys = nudges(Position(3, day), has_capture=False)
        assert ("capture" in keys) is expected, day


def test_it_does_not_suggest_a_capture_that_exists():
    assert "capture" not in nudges(Position(3, 1), has_capture=True)


def test_it_suggests_reflecting_in_the_window_until_something_is_written():
    assert "reflect" in nudges(Position(3, 3), reflections=0)
    assert "reflect" not in nudges(Position(3, 3), reflections=2)
    assert "reflect" not in nudges(Position(3, 5), reflections=0)


def test_it_suggests_an_intention_for_an_upcoming_session_without_one():
    assert "intention" in nudges(Position(None, None, next_session_in=4), upcoming_without_intention=True)
    assert "intention" not in nudges(Position(None, None, next_session_in=4))


def test_it_suggests_a_check_in_until_today_has_one():
    assert "checkin" in nudges(Position(3, 9), checked_in_today=False)
    assert "checkin" not in nudges(Position(3, 9), checked_in_today=True)


def test_it_names_open_actions_with_the_right_word():
    pos = Position(3, 9)
    one = what_helps_now(
        pos, has_capture=True, reflections=1, checked_in_today=True, open_actions=1, upcoming_without_intention=False
    )
    two = what_helps_now(
        pos, has_capture=True, reflections=1, checked_in_today=True, open_actions=2, upcoming_without_intention=False
    )
    assert one[0].label == "1 open integration action"
    assert two[0].label == "2 open integration actions"


def test_it_puts_the_most_timely_first_and_offers_at_most_four():
    keys = nudges(
        Position(3, 1), has_capture=False, reflections=0, checked_in_today=False, open_actions=3, upcoming_without_intention=True
    )
    assert keys == ["capture", "reflect", "intention", "checkin"]
