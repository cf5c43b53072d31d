"""Sessions side by side: what the compare page shows for each chosen session, one column each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from afterglow.insights import course as course_data
from afterglow.insights.curve import Curve
from afterglow.insights.themes import Theme, Themes
from afterglow.journal import capture as capture_data
from afterglow.journal.models import Capture, IntegrationAction, Intention, Session
from afterglow.lib.errors import UserError
from afterglow.safety import side_effects

MAX_CHOSEN = 6  # more columns than this cannot be read side by side, even on a laptop
SEEN = (("Colours and light", "saw_colours"), ("People", "saw_people"), ("Places", "saw_places"), ("Symbols", "saw_symbols"))


class ChoiceError(UserError, ValueError):
    """The sessions asked for cannot be compared; the message is meant for the person."""


def chosen_ids(raw: Sequence[str]) -> list[int]:
    """The session ids from the query string, each once, in the order given. Raises ChoiceError for bad input."""
    ids: list[int] = []
    for value in raw:
        if not value.isdigit() or len(value) > 12:
            raise ChoiceError("One of the sessions asked for is not a session number this page knows.")
        if int(value) not in ids:
            ids.append(int(value))
    if len(ids) == 1:
        raise ChoiceError("Pick at least two sessions to see them side by side.")
    if len(ids) > MAX_CHOSEN:
        raise ChoiceError(f"Pick up to {MAX_CHOSEN} sessions at a time — more columns than that are hard to read.")
    return ids


@dataclass(frozen=True)
class Column:
    session: Session
    intentions: list[Intention]
    capture: Capture | None
    seen: list[tuple[str, str]]
    emotions: list[str]
    signature: list[tuple[str, str]]
    effects: list[tuple[str, str, bool]]  # label, level word, warning sign
    curve: Curve | None
    nearest: list[course_data.Nearest]
    actions: list[IntegrationAction]
    themes: tuple[Theme, ...]

    @property
    def mood_days(self) -> list[tuple[str, float | None]]:
        if self.curve is None:
            return []
        names = {-1: "Day before", 0: "Session day"}
        return [(names.get(k, f"Day {k}"), self.curve.at(k)) for k in self.curve.offsets]


def sessions_for(owner: Any, ids: list[int]) -> list[Session]:
    """The patient's own sessions with these ids, oldest first; a missing or someone else's id is a LookupError."""
    actions = IntegrationAction.objects.order_by("done_at", "due", "created_at")
    found = list(
        Session.objects.filter(owner=owner, pk__in=ids)
        .select_related("course")
        .prefetch_related("intentions", Prefetch("actions", queryset=actions))
        .order_by("started_at", "id")
    )
    if len(found) != len(ids):
        raise LookupError("not this patient's session")
    return found


def columns(sessions: list[Session], mood: dict[int, course_data.Mood], themes: dict[int, Themes]) -> list[Column]:
    """One column per session; `mood` and `themes` are keyed by course id (sessions may come from two courses)."""
    captures = {c.session_id: c for c in Capture.objects.filter(session__in=[s.pk for s in sessions])}
    history = course_data.measure_history(sessions[0].owner) if sessions else {}
    return [_column(s, captures.get(s.pk), mood[s.course_id], themes[s.course_id], history) for s in sessions]


def _column(session: Session, capture: Capture | None, mood: course_data.Mood, themes: Themes, history: Any) -> Column:
    data = capture_data.load()
    levels = data.levels
    seen = [(label, getattr(capture, name)) for label, name in SEEN if capture and getattr(capture, name)]
    signature = [
        (c.label, levels[lv])
        for c in data.signature
        if capture and (lv := side_effects.as_level((capture.signature or {}).get(c.key))) is not None
    ]
    effects = []
    for c in data.sensations:
        level = side_effects.as_level((capture.sensations or {}).get(c.key)) if capture else None
        if level:
            effect = side_effects.effect(c.key)
            effects.append((c.label, levels[level], bool(effect and effect.kind == "warning")))
    return Column(
        session=session,
        intentions=list(session.intentions.all()),
        capture=capture,
        seen=seen,
        emotions=[str(w) for w in (capture.emotions or [])] if capture else [],
        signature=signature,
        effects=effects,
        curve=mood.curve_for(session.pk),
        nearest=course_data.nearest_measures(history, session),
        actions=list(session.actions.all()),
        themes=themes.by_session.get(session.pk, ()),
    )
