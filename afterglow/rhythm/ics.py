"""The reminders as an iCalendar file (RFC 5545) for the person's own calendar, made with icalendar.

Times carry the person's zone (TZID, with its VTIMEZONE written in), so a
calendar keeps 20:00 at 20:00 across a change to or from summer time. Titles
are neutral unless the person asked for detailed wording: calendars are often
shared, and an event must not tell anyone else what it is about. No event holds
journal text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from afterglow.rhythm import rules
from afterglow.rhythm.kinds import wording
from afterglow.rhythm.preferences import Preferences

PRODID = "-//Afterglow//Reminders//EN"
LENGTH = timedelta(minutes=10)
# Reminders tied to sessions and fortnights are listed this far ahead (and to the last known session).
AHEAD = timedelta(days=120)


def title(kind: str, prefs: Preferences) -> str:
    words = wording()
    return words.kind(kind).calendar if prefs.detailed else words.neutral


def calendar(prefs: Preferences, facts: rules.Facts, today: date, stamp: datetime) -> bytes:
    """The .ics text: the daily check-in as one repeating event, the rest one event each from `today` on."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", wording().neutral.split(":")[0])
    if "checkin" in prefs.times:
        cal.add_component(_daily_checkin(prefs, today, stamp))
    for reminder in rules.schedule(prefs, facts, today, last_day(facts, prefs, today)):
        if reminder.kind != "checkin":
            cal.add_component(_event(reminder, prefs, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def last_day(facts: rules.Facts, prefs: Preferences, today: date) -> date:
    sessions = [s.starts.astimezone(prefs.zone).date() + timedelta(days=max(rules.REFLECT_DAYS)) for s in facts.sessions]
    return max([today + AHEAD, *sessions])


def _daily_checkin(prefs: Preferences, today: date, stamp: datetime) -> Event:
    event = _base("checkin", rules.at(today, prefs.times["checkin"], prefs), prefs, stamp, uid="checkin-daily")
    event.add("rrule", {"freq": "daily"})
    return event


def _event(reminder: rules.Reminder, prefs: Preferences, stamp: datetime) -> Event:
    uid = f"{reminder.kind}-{reminder.at:%Y%m%d}-{reminder.session or 0}"
    return _base(reminder.kind, reminder.at, prefs, stamp, uid=uid)


def _base(kind: str, start: datetime, prefs: Preferences, stamp: datetime, *, uid: str) -> Event:
    # The same reminder keeps its UID, so importing a newer file updates events instead of doubling them.
    event = Event()
    event.add("uid", f"{uid}@afterglow.invalid")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("duration", LENGTH)
    event.add("summary", title(kind, prefs))
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    event.add("class", "PRIVATE")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title(kind, prefs))
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event
