"""Who needs attention now: the clinician's list, ordered by need, from what each patient shares.

Each sign is read only from a category the patient shares: a clinician who does not see the
questionnaires does not learn about item 9 from this list either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone

from afterglow.care.models import Category, Consent
from afterglow.care.sharing import display_name
from afterglow.journal import capture as capture_data
from afterglow.journal.models import Capture, CheckIn, Session
from afterglow.measures import responses, scoring
from afterglow.measures.instruments import Instrument, instruments
from afterglow.measures.models import MeasureResponse
from afterglow.safety import side_effects

RECENT = timedelta(days=30)  # how far back a crisis answer or a warning sign keeps a patient at the top
MISSED_AFTER = 3  # days without a check-in before the list says so


@dataclass
class Need:
    consent: Consent
    crisis_at: datetime | None = None
    crisis_answer: int | None = None
    warnings: list[str] = field(default_factory=list)
    warnings_at: datetime | None = None
    worsening: list[str] = field(default_factory=list)
    last_checkin: date | None = None
    missed_days: int | None = None
    next_session: datetime | None = None

    @property
    def patient(self) -> Any:
        return self.consent.patient

    @property
    def name(self) -> str:
        return display_name(self.patient)

    def key(self) -> tuple[int, int, int, int, str]:
        return (
            0 if self.crisis_at else 1,
            0 if self.warnings else 1,
            0 if self.worsening else 1,
            0 if self.missed_days is not None else 1,
            self.name.lower(),
        )


def ordered(consents: list[Consent], now: datetime | None = None) -> list[Need]:
    return sorted(needs_of(consents, now or timezone.now()), key=Need.key)


def need_of(consent: Consent, now: datetime) -> Need:
    return needs_of([consent], now)[0]


def needs_of(consents: list[Consent], now: datetime) -> list[Need]:
    """Every patient's signs in a fixed number of queries (one per category), however many patients there are."""
    found = [Need(c) for c in consents]

    def sharing(category: str) -> dict[int, Need]:
        return {n.consent.patient_id: n for n in found if n.consent.allows(category)}

    _measures(sharing(Category.MEASURES), now)
    _side_effects(sharing(Category.SIDE_EFFECTS), now)
    checkins = sharing(Category.CHECKINS)
    if checkins:
        last_days = CheckIn.objects.filter(owner__in=list(checkins)).values("owner").annotate(last=Max("day"))
        today = timezone.localdate(now)
        for row in last_days:
            need = checkins[row["owner"]]
            need.last_checkin = row["last"]
            days = (today - row["last"]).days
            need.missed_days = days if days >= MISSED_AFTER else None
    sessions = sharing(Category.SESSIONS)
    if sessions:
        upcoming = (
            Session.objects.filter(owner__in=list(sessions), started_at__gt=now).values("owner").annotate(first=Min("started_at"))
        )
        for ahead in upcoming:
            sessions[ahead["owner"]].next_session = timezone.localtime(ahead["first"])
    return found


def histories(owner_ids: Iterable[int]) -> dict[tuple[int, str], list[responses.Point]]:
    """Every finished questionnaire of these patients in one query, by (patient, instrument), oldest first."""
    known = instruments()
    rows = MeasureResponse.objects.filter(
        owner__in=list(owner_ids), instrument__in=list(known), finished_at__isnull=False
    ).order_by("owner_id", "instrument", "finished_at", "id")
    found: dict[tuple[int, str], list[responses.Point]] = defaultdict(list)
    for r in rows:
        found[(r.owner_id, r.instrument)].append(responses.Point(r, scoring.score(known[r.instrument], r.answer_map())))
    return found


def result_of(instrument: Instrument, points: list[responses.Point]) -> responses.Result:
    """`responses.result` for the newest of `points`, read from the history already loaded (no query)."""
    latest = points[-1]
    earlier = [p for p in points[:-1] if p.when <= latest.when]
    complete = [p for p in earlier if p.score.complete]
    course_id = latest.response.course_id
    same_course = [p for p in complete if course_id and p.response.course_id == course_id]
    baseline = same_course[0] if same_course else None
    last = complete[-1] if complete else None
    change = scoring.change(latest.score, baseline.score if baseline else None, last.score if last else None)
    overlap = responses.overlap_days(instrument, earlier[-1].when if earlier else None, latest.when)
    return responses.Result(latest, change, baseline, last, overlap)


# (id, answers, course id, finished at) of one finished questionnaire: the dashboard reads no more than that.
Row = tuple[int, dict[str, Any], int | None, datetime]


def _measures(shared: dict[int, Need], now: datetime) -> None:
    """Every shared patient's questionnaires in one query, as plain rows, scoring only those the signs need."""
    if not shared:
        return
    known = instruments()
    rows = (
        MeasureResponse.objects.filter(owner__in=list(shared), instrument__in=list(known), finished_at__isnull=False)
        .order_by("owner_id", "instrument", "finished_at", "id")
        .values_list("owner_id", "instrument", "id", "answers", "course_id", "finished_at")
    )
    grouped: dict[tuple[int, str], list[Row]] = defaultdict(list)
    for owner, instrument_id, pk, answers, course_id, finished in rows:
        if finished is not None:  # always, by the filter; says so to the type checker
            grouped[(owner, instrument_id)].append((pk, answers or {}, course_id, finished))
    for owner, need in shared.items():
        for instrument in known.values():  # the instruments' own order, as the patient page shows them
            found = grouped.get((owner, instrument.id))
            if found:
                _signs(need, instrument, found, now)


def _signs(need: Need, instrument: Instrument, rows: list[Row], now: datetime) -> None:
    """Item 9 in the last 30 days, and reliable worsening of the newest since the course's first.

    The same reading as `responses.result` (see `result_of`), oldest first, but scoring only the newest, the
    course's first complete one and the last complete one before the newest.
    """
    if instrument.crisis_item is not None:
        item = str(instrument.crisis_item)
        for _, answers, _, when in reversed(rows):
            if when < now - RECENT:
                break
            answer = answers.get(item)
            if answer is not None and int(answer) > 0:
                need.crisis_at, need.crisis_answer = when, int(answer)
                break
    scores: dict[int, scoring.Score] = {}

    def score(i: int) -> scoring.Score:
        if i not in scores:
            scores[i] = scoring.score(instrument, {int(k): int(v) for k, v in rows[i][1].items()})
        return scores[i]

    newest = len(rows) - 1
    if score(newest).total is None:
        return  # an incomplete newest one has no change to show
    course_id = rows[newest][2]
    baseline = next((score(i) for i in range(newest) if course_id and rows[i][2] == course_id and score(i).complete), None)
    last = next((score(i) for i in reversed(range(newest)) if score(i).complete), None)
    change = scoring.change(score(newest), baseline, last)
    if change.since_baseline is not None and change.since_baseline > 0 and change.meaningful_since_baseline:
        need.worsening.append(
            f"{instrument.name} up {change.since_baseline} points since the start of the course "
            f"(a reliable change is {instrument.meaningful_change} or more)"
        )


def _side_effects(shared: dict[int, Need], now: datetime) -> None:
    if not shared:
        return
    captures = (
        Capture.objects.filter(owner__in=list(shared), session__started_at__gte=now - RECENT)
        .select_related("session")
        .only("owner_id", "sensations", "session__number", "session__started_at")
        .order_by("owner_id", "session__started_at")
    )
    for capture in captures:
        need = shared[capture.owner_id]
        for key, level in (capture.sensations or {}).items():
            found = side_effects.effect(key)
            if found is not None and found.kind == "warning" and found.advises(level):
                need.warnings.append(f"{effect_label(key)} after session {capture.session.number}")
                at = capture.session.started_at
                need.warnings_at = max(need.warnings_at or at, at)


def effect_label(key: str) -> str:
    """The body effect's name as the patient saw it on the capture form."""
    return next((c.label for c in capture_data.load().sensations if c.key == key), key.replace("_", " "))


def level_word(level: int) -> str:
    words = capture_data.load().levels
    return str(words[level]) if 0 <= level < len(words) else str(level)
