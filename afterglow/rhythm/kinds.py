"""The reminder kinds and their wording, from `data/reminders.toml` (checked when loaded)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "reminders.toml"
IDS = ("checkin", "intention", "capture", "reflect", "measures")
FIELDS = ("label", "when", "default_time", "calendar", "line")
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class ReminderDataError(ValueError):
    """reminders.toml does not have the shape the rules need (a packaging bug, not user input)."""


@dataclass(frozen=True)
class Kind:
    id: str
    label: str
    when: str
    default_time: str
    calendar: str
    line: str


@dataclass(frozen=True)
class Wording:
    neutral: str
    kinds: dict[str, Kind]

    def kind(self, kind_id: str) -> Kind:
        return self.kinds[kind_id]


@cache
def wording() -> Wording:
    return parse(tomllib.loads(DATA.read_text(encoding="utf-8")))


def parse(raw: dict[str, Any]) -> Wording:
    neutral = raw.get("neutral")
    if not isinstance(neutral, str) or not neutral.strip():
        raise ReminderDataError("reminders.toml needs a neutral title")
    kinds = {k.id: k for k in (_kind(body) for body in raw.get("reminder", []))}
    if tuple(kinds) != IDS:
        raise ReminderDataError(f"reminders.toml must list exactly {', '.join(IDS)} in that order")
    return Wording(neutral, kinds)


def _kind(body: Any) -> Kind:
    if not isinstance(body, dict) or not all(isinstance(body.get(f), str) and body[f].strip() for f in ("id", *FIELDS)):
        raise ReminderDataError(f"each reminder in reminders.toml needs id and {', '.join(FIELDS)} as text: {body!r}")
    if not CLOCK.fullmatch(body["default_time"]):
        raise ReminderDataError(f"reminder {body['id']}: default_time must be HH:MM")
    return Kind(**{f: body[f] for f in ("id", *FIELDS)})
