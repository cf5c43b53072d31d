"""Side effects across the course: sessions across, what was marked down, intensity as shade and number.

Read from each session's structured capture (`Capture.sensations`: a key from
journal/data/capture.toml → 0–3). A row appears once any session marked it
above "none", in the capture's own order; dissociation, the dream-like
feeling and sleeping during the session sit in the same grid below them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from afterglow.journal import capture as capture_data
from afterglow.journal.models import Capture, Session
from afterglow.safety import side_effects

# (label, capture field) for the 0–3 answers shown under the side effects.
SCALES = (("Dissociation", "dissociation"), ("Dream-like", "dreamlike"))


@dataclass(frozen=True)
class Cell:
    level: int | None  # 0–3; None: not answered (or no capture)
    text: str = ""  # for yes/no rows

    @property
    def shade(self) -> str:
        return f"level-{self.level}" if self.level is not None else "level-none"


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    warning: bool = False


@dataclass(frozen=True)
class Grid:
    sessions: tuple[Session, ...]
    captured: tuple[bool, ...]  # per session: was there a capture at all
    effects: tuple[Row, ...]
    states: tuple[Row, ...]  # dissociation, dream-like, slept

    @property
    def empty(self) -> bool:
        return not any(self.captured)

    @property
    def columns(self) -> list[tuple[Session, bool]]:
        return list(zip(self.sessions, self.captured, strict=True))


def grid(sessions: Sequence[Session]) -> Grid:
    """The grid for these sessions (in the order given); captures are read in one query."""
    captures = {c.session_id: c for c in Capture.objects.filter(session__in=[s.pk for s in sessions])}
    found = [captures.get(s.pk) for s in sessions]
    return Grid(tuple(sessions), tuple(c is not None for c in found), _effect_rows(found), _state_rows(found))


def _effect_rows(found: list[Capture | None]) -> tuple[Row, ...]:
    levels = capture_data.load().levels
    rows = []
    for choice in capture_data.load().sensations:
        marked = [_level((c.sensations or {}).get(choice.key)) if c else None for c in found]
        if any(level for level in marked):
            effect = side_effects.effect(choice.key)
            cells = tuple(Cell(level, levels[level] if level is not None else "") for level in marked)
            rows.append(Row(choice.label, cells, warning=bool(effect and effect.kind == "warning")))
    return tuple(rows)


def _state_rows(found: list[Capture | None]) -> tuple[Row, ...]:
    levels = capture_data.load().levels
    rows = []
    for label, field in SCALES:
        marked = [_level(getattr(c, field)) if c else None for c in found]
        rows.append(Row(label, tuple(Cell(m, levels[m] if m is not None else "") for m in marked)))
    slept = [c.slept if c else None for c in found]
    rows.append(Row("Slept during the session", tuple(Cell(None, {True: "yes", False: "no"}.get(s, "")) for s in slept)))  # type: ignore[arg-type]
    return tuple(rows)


def _level(value: object) -> int | None:
    return side_effects.as_level(value)
