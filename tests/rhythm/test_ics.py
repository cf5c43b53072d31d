"""The .ics file round-trips through icalendar with the right times across a change of clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from afterglow.rhythm.ics import calendar
from afterglow.rhythm.preferences import Preferences
from afterglow.rhythm.rules import Facts, SessionFacts

NEW_YORK = ZoneInfo("America/New_York")
STAMP = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def events(prefs: Preferences, facts: Facts, today: date) -> dict[str, list]:
    parsed = Calendar.from_ical(calendar(prefs, facts, today, STAMP))
    found: dict[str, list] = {}
    for event in parsed.walk("VEVENT"):
        found.setdefault(str(event["uid"]).split("-")[0], []).append(event)
    return found


def test_it_keeps_session_reminders_at_local_time_on_both_sides_of_the_clock_change():
    # US clocks go forward on 14 March 2027: the session on the 15th has its eve before and its days after.
    facts = Facts(sessions=[SessionFacts(1, datetime(2027, 3, 15, 9, 0, tzinfo=NEW_YORK))])
    prefs = Preferences({"intention": time(19, 0), "reflect": time(10, 0)}, NEW_YORK)
    found = events(prefs, facts, date(2027, 3, 1))
    eve = found["intention"][0]["dtstart"].dt
    assert (eve.date(), eve.time(), eve.tzinfo.key) == (date(2027, 3, 14), time(19, 0), "America/New_York")
    assert eve.astimezone(UTC) == datetime(2027, 3, 14, 23, 0, tzinfo=UTC)  # EDT, UTC-4
    days = sorted(e["dtstart"].dt for e in found["reflect"])
    assert [d.astimezone(UTC).hour for d in days] == [14, 14]
    assert [d.astimezone(NEW_YORK).time() for d in days] == [time(10, 0), time(10, 0)]


def test_it_repeats_the_daily_check_in_in_the_persons_zone_with_the_zone_written_in():
    ics = calendar(Preferences({"checkin": time(20, 0)}, NEW_YORK), Facts(), date(2027, 3, 10), STAMP)
    parsed = Calendar.from_ical(ics)
    (event,) = parsed.walk("VEVENT")
    assert event["dtstart"].dt == datetime(2027, 3, 10, 20, 0, tzinfo=NEW_YORK)
    assert event["rrule"]["FREQ"] == ["DAILY"]
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["America/New_York"]
    # Before and after the change (14 March), the same wall-clock time: the calendar's zone rules do it.
    assert b"TZID=America/New_York:20270310T200000" in ics


def test_it_titles_every_event_neutrally_unless_asked_for_detail():
    facts = Facts(sessions=[SessionFacts(1, datetime(2027, 3, 15, 9, 0, tzinfo=NEW_YORK))])
    times = {"checkin": time(20, 0), "intention": time(19, 0), "capture": time(18, 0)}
    neutral = events(Preferences(times, NEW_YORK), facts, date(2027, 3, 1))
    assert {str(e["summary"]) for group in neutral.values() for e in group} == {"Afterglow: a few minutes for yourself"}
    detailed = events(Preferences(times, NEW_YORK, detailed=True), facts, date(2027, 3, 1))
    assert "session" in str(detailed["intention"][0]["summary"])


def test_it_leaves_past_sessions_out_and_gives_each_event_an_alarm():
    days = (datetime(2027, 2, 1, 9, 0, tzinfo=NEW_YORK), datetime(2027, 3, 15, 9, 0, tzinfo=NEW_YORK))
    facts = Facts(sessions=[SessionFacts(n, day) for n, day in enumerate(days)])
    found = events(Preferences({"capture": time(18, 0)}, NEW_YORK), facts, date(2027, 3, 1))
    (capture,) = found["capture"]
    assert capture["dtstart"].dt.date() == date(2027, 3, 15)
    (alarm,) = capture.walk("VALARM")
    assert alarm["trigger"].dt == timedelta(0)
