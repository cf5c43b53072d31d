"""Scoring exactly as published: plain functions over {item number: answer}.

An answer is kept as given; a skipped item is simply absent. Nothing missing
is ever counted as 0: an incomplete questionnaire has no total, and a skipped
crisis item (PHQ-9 item 9) is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from afterglow.lib.errors import UserError
from afterglow.measures.instruments import Band, Cluster, Instrument


class AnswerError(UserError, ValueError):
    """An answer that is not one of the instrument's options; the message is meant for a person."""


@dataclass(frozen=True)
class ClusterScore:
    cluster: Cluster
    total: int | None
    endorsed: int

    @property
    def met(self) -> bool:
        return self.endorsed >= self.cluster.needs


@dataclass(frozen=True)
class Score:
    instrument: Instrument
    answers: dict[int, int]
    total: int | None
    band: Band | None
    missing: tuple[int, ...]
    clusters: tuple[ClusterScore, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def answered(self) -> int:
        return sum(1 for item in self.instrument.scored_items if item.number in self.answers)

    @property
    def crisis_answer(self) -> int | None:
        """The crisis item's answer, None when the instrument has none or it was skipped."""
        number = self.instrument.crisis_item
        return self.answers.get(number) if number is not None else None

    @property
    def crisis(self) -> bool:
        """Any answer above 0 on the crisis item, whatever the total."""
        return (self.crisis_answer or 0) > 0

    @property
    def crisis_unknown(self) -> bool:
        return self.instrument.crisis_item is not None and self.crisis_answer is None

    @property
    def pattern_met(self) -> bool | None:
        """PCL-5's DSM-5 pattern (≥1 B, ≥1 C, ≥2 D, ≥2 E items at 2+); None until every item is answered."""
        if not self.instrument.clusters or not self.complete:
            return None
        return all(c.met for c in self.clusters)

    @property
    def above_cutoff(self) -> bool | None:
        if self.instrument.cutoff is None or self.total is None:
            return None
        return self.total >= self.instrument.cutoff


def clean_answers(instrument: Instrument, raw: Mapping[Any, Any]) -> dict[int, int]:
    """{item: value} from loosely typed input ('3' → 3); empty means skipped. Raises AnswerError."""
    answers: dict[int, int] = {}
    for key, value in raw.items():
        number = _whole(key)
        item = instrument.item(number) if number is not None else None
        if item is None:
            raise AnswerError(f"{instrument.name} has no question {key}.")
        if value is None or str(value).strip() == "":
            continue
        answer = _whole(value)
        if answer is None or answer not in item.values:
            low, high = min(item.values), max(item.values)
            raise AnswerError(f"Question {number} of the {instrument.name} takes an answer from {low} to {high}, not “{value}”.")
        answers[item.number] = answer
    return answers


def _whole(value: Any) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) <= 3 else None


def score(instrument: Instrument, answers: Mapping[int, int]) -> Score:
    given = dict(answers)
    missing = tuple(i.number for i in instrument.scored_items if i.number not in given)
    total = None if missing else sum(given[i.number] for i in instrument.scored_items)
    band = instrument.band_for(total) if total is not None else None
    clusters = tuple(_cluster(c, given, instrument.endorsed_at) for c in instrument.clusters)
    return Score(instrument, given, total, band, missing, clusters)


def _cluster(cluster: Cluster, answers: Mapping[int, int], endorsed_at: int) -> ClusterScore:
    values = [answers.get(n) for n in cluster.items]
    total = None if None in values else sum(v for v in values if v is not None)
    endorsed = sum(1 for v in values if v is not None and v >= endorsed_at)
    return ClusterScore(cluster, total, endorsed)


# Change over the course ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    since_baseline: int | None
    since_last: int | None
    meaningful_since_last: bool
    meaningful_since_baseline: bool
    response: bool
    remission: bool


def change(current: Score, baseline: Score | None, last: Score | None) -> Change:
    """How the current total compares with the course's first and the previous complete measure."""
    now = current.total
    first = baseline.total if baseline else None
    before = last.total if last else None
    since_baseline = now - first if now is not None and first is not None else None
    since_last = now - before if now is not None and before is not None else None
    mid = current.instrument.meaningful_change
    return Change(
        since_baseline=since_baseline,
        since_last=since_last,
        meaningful_since_last=since_last is not None and mid > 0 and abs(since_last) >= mid,
        meaningful_since_baseline=since_baseline is not None and mid > 0 and abs(since_baseline) >= mid,
        response=is_response(current.instrument, first, now),
        remission=is_remission(current.instrument, now),
    )


def is_response(instrument: Instrument, baseline: int | None, now: int | None) -> bool:
    """A drop of at least half the baseline total (the ketamine studies' definition)."""
    if instrument.response_drop is None or baseline is None or now is None or baseline <= 0:
        return False
    return baseline - now >= instrument.response_drop * baseline


def is_remission(instrument: Instrument, now: int | None) -> bool:
    return instrument.remission_below is not None and now is not None and now < instrument.remission_below
