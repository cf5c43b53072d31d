"""What the course review and the compare page read: the course's span, its days and sessions, measures near a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from afterglow.insights import curve
from afterglow.insights import days as checkins
from afterglow.journal.models import Course, Session
from afterglow.measures import responses
from afterglow.measures.instruments import Instrument, instruments
from afterglow.web import unchanged

LEAD_IN = timedelta(days=3)  # the days before the first session belong on the chart (the first pre-session level)
TAIL = timedelta(days=7)


def span(course: Course, sessions: list[Session]) -> tuple[date, date]:
    """From the course's start (or a few days before its first session) to the next course's start, or today."""
    today = timezone.localdate()
    sessions = [s for s in sessions if checkins.plausible(s.day, today)]
    start = course.start_date if checkins.plausible(course.start_date, today) else today
    first = min([start, *(s.day - LEAD_IN for s in sessions)])
    later = Course.objects.filter(owner_id=course.owner_id, start_date__gt=course.start_date).order_by("start_date").first()
    end = later.start_date - timedelta(days=1) if later else max([today, *(s.day + TAIL for s in sessions)])
    return first, max(first, end)


def sessions_of(course: Course) -> list[Session]:
    return list(Session.objects.filter(course=course).order_by("started_at", "id"))


def marks(sessions: list[Session]) -> list[curve.Mark]:
    """Sessions on the calendar; one on a day no life holds (year 1, 9999) has no days around it to show."""
    return [curve.Mark(s.pk, s.number, s.day) for s in sessions if checkins.plausible(s.day)]


@dataclass(frozen=True)
class Mood:
    """The course's check-ins as days, and each session's after-session curve."""

    days: list[checkins.Day]
    curves: list[curve.Curve]

    @property
    def first_day(self) -> date | None:
        return self.days[0].day if self.days else None

    @property
    def last_day(self) -> date | None:
        return self.days[-1].day if self.days else None

    @property
    def weekly(self) -> bool:
        return checkins.spans_long(self.days)

    @property
    def sentence(self) -> str:
        return curve.sentence(self.curves)

    @property
    def sparse(self) -> str:
        return curve.sparse_sentence(self.curves)

    def curve_for(self, session_pk: int) -> curve.Curve | None:
        return next((c for c in self.curves if c.session.pk == session_pk), None)


def mood(course: Course) -> Mood:
    """Kept until the journal changes: two years of days are read once, not on every view."""
    key = ("insights.mood", course.owner_id, course.pk, timezone.get_current_timezone_name(), timezone.localdate())
    return unchanged.kept(key, lambda: _mood(course))


def _mood(course: Course) -> Mood:
    sessions = sessions_of(course)
    start, end = span(course, sessions)
    found = checkins.daily(course.owner, start, end)
    return Mood(found, curve.curves(marks(sessions), checkins.moods(found)))


@dataclass(frozen=True)
class Nearest:
    instrument: Instrument
    total: int | None
    band: str
    when: datetime
    days_from_session: int
    response_pk: int

    @property
    def relative(self) -> str:
        n = abs(self.days_from_session)
        if n == 0:
            return "session day"
        return f"{n} day{'s' if n != 1 else ''} {'before' if self.days_from_session < 0 else 'after'}"


History = dict[str, list[responses.Point]]


def measure_history(owner: Any) -> History:
    """Every finished questionnaire by instrument, read once for all the sessions on a page."""
    return {i.id: responses.history(owner, i) for i in instruments().values()}


def nearest_measures(history: History, session: Session, within: int = 14) -> list[Nearest]:
    """For each questionnaire, the finished one closest in time to the session (within two weeks either side)."""
    out = []
    for instrument in instruments().values():
        points = [p for p in history.get(instrument.id, []) if abs(p.when - session.started_at) <= timedelta(days=within)]
        if not points:
            continue
        point = min(points, key=lambda p: abs(p.when - session.started_at))
        score = point.score
        offset = (timezone.localtime(point.when).date() - session.day).days
        out.append(Nearest(instrument, score.total, score.band.name if score.band else "", point.when, offset, point.response.pk))
    return out
