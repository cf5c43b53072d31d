"""Each measure over the course: the overview's cards, the chart, the home page's suggestion."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from afterglow.journal.courses import current_course
from afterglow.journal.models import Session
from afterglow.measures import charts, responses, scoring, suggest
from afterglow.measures.instruments import Instrument, get
from afterglow.measures.models import MeasureResponse
from afterglow.web import unchanged

SUGGESTED = ("phq9", "gad7")


@dataclass(frozen=True)
class Row:
    """One finished questionnaire in the table next to the chart."""

    when: datetime
    total: int | None
    band: str
    crisis: str
    change: int | None
    url: str


@dataclass(frozen=True)
class Card:
    instrument: Instrument
    rows: list[Row]
    open: MeasureResponse | None

    @property
    def has_chart(self) -> bool:
        return any(row.total is not None for row in self.rows)


def card(owner: Any, instrument: Instrument) -> Card:
    return cards(owner, [instrument])[0]


def cards(owner: Any, chosen: Iterable[Instrument]) -> list[Card]:
    """One card per instrument, in the order given, from one query for all of them (not two each)."""
    chosen = list(chosen)
    now = timezone.now()
    # The finished ones, and the unfinished ones that may still be inside some instrument's recall window.
    oldest = now - timedelta(days=max((i.recall_days for i in chosen), default=0))
    rows = MeasureResponse.objects.filter(owner=owner, instrument__in=[i.id for i in chosen]).filter(
        Q(finished_at__isnull=False) | Q(started_at__gte=oldest)
    )
    finished: dict[str, list[MeasureResponse]] = defaultdict(list)
    unfinished: dict[str, list[MeasureResponse]] = defaultdict(list)
    for row in rows.order_by("finished_at", "id"):
        (finished if row.finished_at is not None else unfinished)[row.instrument].append(row)
    return [_card(i, finished[i.id], _open(i, unfinished[i.id], now)) for i in chosen]


def _open(instrument: Instrument, rows: list[MeasureResponse], now: datetime) -> MeasureResponse | None:
    """`responses.open_response` from rows already read: the newest still inside its recall window."""
    since = now - timedelta(days=instrument.recall_days)
    inside = [r for r in rows if r.started_at >= since]
    return max(inside, key=lambda r: (r.started_at, r.pk)) if inside else None


def _card(instrument: Instrument, finished: list[MeasureResponse], open_one: MeasureResponse | None) -> Card:
    rows: list[Row] = []
    previous: int | None = None
    for response in finished:
        point = responses.Point(response, scoring.score(instrument, response.answer_map()))
        total = point.score.total
        rows.append(Row(
            when=timezone.localtime(point.when), total=total, band=point.score.band.name if point.score.band else "",
            crisis=_crisis_cell(point), change=total - previous if total is not None and previous is not None else None,
            url=reverse("measure_result", args=[point.response.pk]),
        ))  # fmt: skip
        previous = total if total is not None else previous
    return Card(instrument, list(reversed(rows)), open_one)


def _crisis_cell(point: responses.Point) -> str:
    if point.score.instrument.crisis_item is None:
        return ""
    answer = point.score.crisis_answer
    return "unknown" if answer is None else str(answer)


def course_sessions(owner: Any) -> list[tuple[datetime, int]]:
    found = current_course(owner)
    if found is None:
        return []
    rows = Session.objects.filter(owner=owner, course=found).order_by("started_at")
    return [(timezone.localtime(s.started_at).replace(tzinfo=None), s.number) for s in rows]


def chart(owner: Any, instrument: Instrument) -> str:
    """The course of one measure as SVG, drawn again only when the journal has changed (a drawing takes ~250 ms)."""
    key = ("measures.chart", owner.pk, instrument.id, timezone.get_current_timezone_name())
    return unchanged.kept(key, lambda: _draw(owner, instrument))


def _draw(owner: Any, instrument: Instrument) -> str:
    points = [
        (timezone.localtime(p.when).replace(tzinfo=None), p.score.total)
        for p in responses.history(owner, instrument)
        if p.score.total is not None
    ]
    series = charts.Series(
        title=instrument.name, max_total=instrument.max_total, points=points,  # type: ignore[arg-type]
        bands=[(b.low, b.high, b.name) for b in instrument.bands], cutoff=instrument.cutoff,
    )  # fmt: skip
    return charts.chart_svg(series, course_sessions(owner))


def recent_overlap(owner: Any, instrument: Instrument) -> int | None:
    """Days since the last finished one, when the two recall windows overlap."""
    last = (
        MeasureResponse.objects.filter(owner=owner, instrument=instrument.id, finished_at__isnull=False)
        .order_by("-finished_at")
        .first()
    )
    return responses.overlap_days(instrument, last.finished_at if last else None, timezone.now())


def suggestion(owner: Any) -> bool:
    """Whether to suggest the PHQ-9 and GAD-7 now (before a session, or two weeks on)."""
    upcoming = Session.objects.filter(owner=owner, started_at__gt=timezone.now()).order_by("started_at").first()
    return due(owner, upcoming.day if upcoming else None, timezone.localdate())


def due(owner: Any, next_session: date | None, today: date) -> bool:
    """The same, when the next session is already known (the home page has it)."""
    ids = [i for i in SUGGESTED if get(i)]
    rows = MeasureResponse.objects.filter(owner=owner, instrument__in=ids, finished_at__isnull=False)
    last = rows.order_by("-finished_at").values_list("finished_at", flat=True).first()
    return suggest.measure_due(timezone.localtime(last).date() if last else None, next_session, today)
