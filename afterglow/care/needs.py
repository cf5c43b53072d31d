"""Who needs attention now: the clinician's list, ordered by need, from what each patient shares.

Each sign is read only from a category the patient shares: a clinician who does not see the
questionnaires does not learn about item 9 from this list either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from afterglow.care.models import Category, Consent
from afterglow.care.sharing import display_name
from afterglow.journal import capture as capture_data
from afterglow.journal.models import Capture, CheckIn, Session
from afterglow.measures import responses
from afterglow.measures.instruments import instruments
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
    now = now or timezone.now()
    return sorted((need_of(c, now) for c in consents), key=Need.key)


def need_of(consent: Consent, now: datetime) -> Need:
    need = Need(consent)
    patient = consent.patient
    if consent.allows(Category.MEASURES):
        _measures(need, patient, now)
    if consent.allows(Category.SIDE_EFFECTS):
        _side_effects(need, patient, now)
    if consent.allows(Category.CHECKINS):
        last = CheckIn.objects.filter(owner=patient).order_by("-day").values_list("day", flat=True).first()
        need.last_checkin = last
        if last is not None:
            days = (timezone.localdate(now) - last).days
            need.missed_days = days if days >= MISSED_AFTER else None
    if consent.allows(Category.SESSIONS):
        upcoming = Session.objects.filter(owner=patient, started_at__gt=now).order_by("started_at").first()
        need.next_session = timezone.localtime(upcoming.started_at) if upcoming else None
    return need


def _measures(need: Need, patient: Any, now: datetime) -> None:
    for instrument in instruments().values():
        points = responses.history(patient, instrument)
        if not points:
            continue
        if instrument.crisis_item is not None:
            crises = [p for p in points if p.score.crisis and p.when >= now - RECENT]
            if crises:
                need.crisis_at, need.crisis_answer = crises[-1].when, crises[-1].score.crisis_answer
        latest = responses.result(instrument, points[-1].response)
        change = latest.change
        if change.since_baseline is not None and change.since_baseline > 0 and change.meaningful_since_baseline:
            need.worsening.append(
                f"{instrument.name} up {change.since_baseline} points since the start of the course "
                f"(a reliable change is {instrument.meaningful_change} or more)"
            )


def _side_effects(need: Need, patient: Any, now: datetime) -> None:
    for capture in Capture.objects.filter(owner=patient, session__started_at__gte=now - RECENT).select_related("session"):
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
