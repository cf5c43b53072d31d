"""Taking a measure: saving answers as they come, finishing, and reading a result against the course."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from afterglow.access import NotYours
from afterglow.journal.courses import current_course
from afterglow.measures import scoring
from afterglow.measures.instruments import Instrument
from afterglow.measures.models import MeasureResponse


def open_response(owner: Any, instrument: Instrument) -> MeasureResponse | None:
    """An unfinished questionnaire still inside its recall window, to pick up again."""
    since = timezone.now() - timedelta(days=instrument.recall_days)
    rows = MeasureResponse.objects.filter(owner=owner, instrument=instrument.id, finished_at__isnull=True, started_at__gte=since)
    return rows.order_by("-started_at").first()


@transaction.atomic
def save_answers(owner: Any, instrument: Instrument, uid: uuid.UUID, answers: Mapping[int, int]) -> MeasureResponse:
    """Create-or-update by uid, adding these answers to the ones already saved."""
    response = MeasureResponse.objects.select_for_update().filter(uid=uid).first()
    if response is None:
        response = MeasureResponse(owner=owner, uid=uid, instrument=instrument.id, course=current_course(owner))
    elif response.owner_id != owner.pk or response.instrument != instrument.id:
        raise NotYours
    merged = response.answer_map() | dict(answers)
    response.answers = {str(k): v for k, v in sorted(merged.items())}
    response.save()
    return response


def finish(response: MeasureResponse) -> None:
    if response.finished_at is None:
        response.finished_at = timezone.now()
        response.save(update_fields=["finished_at", "updated_at"])


# Reading results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    response: MeasureResponse
    score: scoring.Score

    @property
    def when(self) -> datetime:
        return self.response.taken_at


def history(owner: Any, instrument: Instrument) -> list[Point]:
    """Every finished questionnaire of this instrument, oldest first (incomplete ones included)."""
    rows = MeasureResponse.objects.filter(owner=owner, instrument=instrument.id, finished_at__isnull=False)
    return [Point(r, scoring.score(instrument, r.answer_map())) for r in rows.order_by("finished_at", "id")]


@dataclass(frozen=True)
class Result:
    point: Point
    change: scoring.Change
    baseline: Point | None
    last: Point | None
    overlap_days: int | None

    @property
    def score(self) -> scoring.Score:
        return self.point.score


def result(instrument: Instrument, response: MeasureResponse) -> Result:
    """The score with what it means over the course: baseline, the one before, overlap of recall windows."""
    earlier = [p for p in history(response.owner, instrument) if p.response.pk != response.pk and p.when <= response.taken_at]
    complete = [p for p in earlier if p.score.complete]
    same_course = [p for p in complete if response.course_id and p.response.course_id == response.course_id]
    baseline = same_course[0] if same_course else None
    last = complete[-1] if complete else None
    point = Point(response, scoring.score(instrument, response.answer_map()))
    change = scoring.change(point.score, baseline.score if baseline else None, last.score if last else None)
    return Result(
        point, change, baseline, last, overlap_days(instrument, earlier[-1].when if earlier else None, response.taken_at)
    )


def overlap_days(instrument: Instrument, before: datetime | None, now: datetime) -> int | None:
    """Days since the last one, when it is within this instrument's recall window (their periods overlap)."""
    if before is None:
        return None
    days = (now - before).days
    return days if days < instrument.recall_days else None
