"""How far from today a day in the journal may be: one rule for web forms, CLI options and imports.

A session dated 0001-01-01 or 9999-12-31 is a slip of the keyboard, never a life;
kept, it once broke every chart. Days lived (check-ins, measures) cannot be in the
future; days planned (sessions, a course's start, an action's due day) may be up
to a year or so ahead.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from afterglow.lib.errors import UserError

EARLIEST = date(1900, 1, 1)
PLAN_AHEAD = timedelta(days=400)  # a year and a little more: next year's sessions can be booked


class DayOutOfRange(UserError, ValueError):
    """A day outside what a journal can hold; the message is for a person."""


def latest_planned(today: date) -> date:
    return today + PLAN_AHEAD


def check_planned(day: date, today: date) -> date:
    """A session's day, a course's start or an action's due day: from 1900 to a year or so ahead."""
    _not_too_early(day)
    latest = latest_planned(today)
    if day > latest:
        raise DayOutOfRange(
            f"That is more than a year from now. Please check the year; days can be planned up to {_words(latest)}."
        )
    return day


def check_lived(day: date, today: date) -> date:
    """A check-in's or a measure's day: one already lived, from 1900 to today."""
    _not_too_early(day)
    if day > today:
        raise DayOutOfRange("That day has not happened yet. Pick today or an earlier day.")
    return day


def plausible(moment: date | datetime, today: date) -> bool:
    """Whether a stored day can be drawn on a chart of the course (older journals may hold any date)."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return EARLIEST <= day <= latest_planned(today)


def _not_too_early(day: date) -> None:
    if day < EARLIEST:
        raise DayOutOfRange("That is before 1900. Please check the year.")


def _words(day: date) -> str:
    return f"{day.day} {day:%B} {day.year}"
