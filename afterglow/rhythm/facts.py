"""What reminders need to know from the journal, read in three small queries (no journal text)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef

from afterglow.journal.models import Capture, CheckIn, Intention, Session
from afterglow.measures.course import SUGGESTED
from afterglow.measures.models import MeasureResponse
from afterglow.rhythm.rules import Facts, SessionFacts

# A session this long before the range still has reminders in it (reflection on day 2).
LOOK_BACK = timedelta(days=3)


def gather(owner: Any, first: date, last: date, zone: ZoneInfo) -> Facts:
    """The journal's facts for reminders falling from day `first` to day `last` in `zone`."""
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=2), time.min, tzinfo=zone)  # the eve of a session after `last`
    return Facts(
        sessions=_sessions(owner, start - LOOK_BACK, end),
        last_measure=_last_measure(owner, zone),
        checkin_days=frozenset(
            when.astimezone(zone).date()
            for when in CheckIn.objects.filter(owner=owner, at__gte=start, at__lt=end).values_list("at", flat=True)
        ),
    )


def _sessions(owner: Any, start: datetime, end: datetime) -> tuple[SessionFacts, ...]:
    rows = (
        Session.objects.filter(owner=owner, started_at__gte=start, started_at__lt=end)
        .annotate(
            has_intention=Exists(Intention.objects.filter(session=OuterRef("pk"))),
            has_capture=Exists(Capture.objects.filter(session=OuterRef("pk"))),
        )
        .order_by("started_at")
        .values_list("pk", "started_at", "has_intention", "has_capture")
    )
    return tuple(SessionFacts(pk, starts, bool(i), bool(c)) for pk, starts, i, c in rows)


def _last_measure(owner: Any, zone: ZoneInfo) -> date | None:
    rows = MeasureResponse.objects.filter(owner=owner, instrument__in=SUGGESTED, finished_at__isnull=False)
    last = rows.order_by("-finished_at").values_list("finished_at", flat=True).first()
    return last.astimezone(zone).date() if last else None
