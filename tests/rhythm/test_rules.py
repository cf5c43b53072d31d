"""When reminders fall, for a fixed clock: plain functions, no HTTP, no database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from afterglow.rhythm.preferences import Preferences
from afterglow.rhythm.rules import Facts, SessionFacts, due, schedule

LONDON = ZoneInfo("Europe/London")
ALL_ON = {
    "checkin": time(20, 0),
    "intention": time(19, 0),
    "capture": time(18, 0),
    "reflect": time(10, 0),
    "measures": time(11, 0),
}


def prefs(**times: time) -> Preferences:
    return Preferences(times=times or ALL_ON, zone=LONDON)


def session(day: date, hour: int = 10, **facts: bool) -> SessionFacts:
    return SessionFacts(7, datetime.combine(day, time(hour), tzinfo=LONDON), **facts)


def kinds(found) -> list[tuple[str, str]]:
    return [(r.kind, f"{r.at:%m-%d %H:%M}") for r in found]


def test_it_reminds_nothing_until_a_reminder_is_chosen():
    off = Preferences(times={}, zone=LONDON)
    assert schedule(off, Facts(sessions=[session(date(2027, 3, 10))]), date(2027, 3, 1), date(2027, 3, 31)) == []


def test_it_places_each_session_reminder_on_its_day():
    facts = Facts(sessions=[session(date(2027, 3, 10))], last_measure=date(2027, 3, 1))
    found = schedule(prefs(**{k: v for k, v in ALL_ON.items() if k != "checkin"}), facts, date(2027, 3, 8), date(2027, 3, 13))
    assert kinds(found) == [
        ("measures", "03-09 11:00"),
        ("intention", "03-09 19:00"),
        ("capture", "03-10 18:00"),
        ("reflect", "03-11 10:00"),
        ("reflect", "03-12 10:00"),
    ]


def test_it_waits_two_hours_after_a_late_session_before_asking_for_the_capture():
    facts = Facts(sessions=[session(date(2027, 3, 10), hour=17)])
    found = schedule(prefs(capture=time(18, 0)), facts, date(2027, 3, 10), date(2027, 3, 10))
    assert kinds(found) == [("capture", "03-10 19:00")]


def test_it_keeps_the_wall_clock_time_across_the_change_to_summer_time():
    found = schedule(prefs(checkin=time(20, 0)), Facts(), date(2027, 3, 27), date(2027, 3, 29))
    assert [f"{r.at:%H:%M}" for r in found] == ["20:00", "20:00", "20:00"]
    assert [r.at.utcoffset() for r in found] == [timedelta(0), timedelta(hours=1), timedelta(hours=1)]


def test_it_asks_for_the_questionnaires_every_two_weeks_after_the_last_one():
    found = schedule(prefs(measures=time(11, 0)), Facts(last_measure=date(2027, 1, 1)), date(2027, 2, 1), date(2027, 3, 1))
    assert kinds(found) == [("measures", "02-12 11:00"), ("measures", "02-26 11:00")]


def test_it_says_what_is_due_in_the_last_minutes_only():
    facts = Facts(sessions=[session(date(2027, 3, 10))])
    now = datetime(2027, 3, 9, 19, 5, tzinfo=LONDON)
    assert kinds(due(prefs(), facts, now, timedelta(minutes=15))) == [("intention", "03-09 19:00")]
    # Two hours later that moment has passed (and the 20:00 check-in too): no catching up, no "you missed".
    assert due(prefs(), facts, now + timedelta(hours=2), timedelta(minutes=15)) == []


def test_it_stays_quiet_about_what_is_already_done():
    facts = Facts(sessions=[session(date(2027, 3, 10), has_intention=True)], checkin_days=frozenset({date(2027, 3, 9)}))
    assert due(prefs(), facts, datetime(2027, 3, 9, 20, 0, tzinfo=LONDON), timedelta(hours=2)) == []


def test_it_reads_the_clock_in_the_persons_zone():
    # 19:00 UTC on 9 March is 20:00 in Berlin: the Berlin check-in is due, whatever zone the clock was read in.
    berlin = Preferences(times={"checkin": time(20, 0)}, zone=ZoneInfo("Europe/Berlin"))
    now = datetime(2027, 3, 9, 19, 0, tzinfo=ZoneInfo("UTC"))
    assert kinds(due(berlin, Facts(), now, timedelta(minutes=15))) == [("checkin", "03-09 20:00")]


def test_a_time_the_clocks_skip_moves_on_with_them():
    # 28 March 2027: at 01:00 GMT London's clocks jump to 02:00 BST, so 01:30 never happens that day.
    found = schedule(prefs(checkin=time(1, 30)), Facts(), date(2027, 3, 28), date(2027, 3, 28))
    assert [f"{r.at:%H:%M %Z}" for r in found] == ["02:30 BST"]
