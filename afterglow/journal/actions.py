"""Integration actions: small things to do, made from an insight, ticked off when done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.utils import timezone

from afterglow.journal.models import Entry, IntegrationAction, Session
from afterglow.lib import dates

MAX_WHAT = 300


def clean_what(what: str) -> str:
    what = " ".join(what.split())
    if not what:
        raise ValidationError("Say in a few words what you would like to do.")
    if len(what) > MAX_WHAT:
        raise ValidationError(f"Please keep an action short — under {MAX_WHAT} characters. The details can live in an entry.")
    return what


def check_due(due: date | None, today: date) -> date | None:
    """A new action's due date: empty is fine, a day already gone is not, nor one years away."""
    if due is not None and due < today:
        raise ValidationError("That day has already passed. Choose today or a later day, or leave the date empty.")
    try:
        return None if due is None else dates.check_planned(due, today)
    except dates.DayOutOfRange as exc:
        raise ValidationError(str(exc)) from None


def create_action(
    owner: Any,
    what: str,
    due: date | None = None,
    *,
    entry: Entry | None = None,
    session: Session | None = None,
    today: date | None = None,
) -> IntegrationAction:
    today = today or timezone.localdate()
    if entry is not None and session is None:
        session = entry.session
    return IntegrationAction.objects.create(
        owner=owner, what=clean_what(what), due=check_due(due, today), entry=entry, session=session
    )


def mark_done(action: IntegrationAction, now: datetime | None = None) -> None:
    if action.done_at is None:
        action.done_at = now or timezone.now()
        action.save(update_fields=["done_at"])


def undo(action: IntegrationAction) -> None:
    if action.done_at is not None:
        action.done_at = None
        action.save(update_fields=["done_at"])


def open_actions(owner: Any) -> QuerySet[IntegrationAction]:
    """Due soonest first; undated ones after, oldest first."""
    return (
        IntegrationAction.objects.filter(owner=owner, done_at__isnull=True)
        .select_related("session")
        .order_by(F("due").asc(nulls_last=True), "created_at", "id")
    )


def done_actions(owner: Any) -> QuerySet[IntegrationAction]:
    return IntegrationAction.objects.filter(owner=owner, done_at__isnull=False).select_related("session").order_by("-done_at")


def is_overdue(action: IntegrationAction, today: date) -> bool:
    return action.done_at is None and action.due is not None and action.due < today


@dataclass(frozen=True)
class Tally:
    kept: int
    open: int

    @property
    def total(self) -> int:
        return self.kept + self.open


def tally(actions: list[IntegrationAction]) -> Tally:
    kept = sum(1 for a in actions if a.done_at is not None)
    return Tally(kept=kept, open=len(actions) - kept)
