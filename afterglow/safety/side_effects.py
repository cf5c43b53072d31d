"""Body effects after a dose: pleasant, expected, or a warning sign; from `data/side_effects.toml`.

The one rule: only a warning sign brings "contact your clinic now" and the
emergency number. A pleasant effect never brings advice, and an expected one at
most the gentle rest-and-no-driving note, however strong it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from afterglow.lib.datafiles import DataFileError, load_toml

DATA = Path(__file__).parent / "data" / "side_effects.toml"
KINDS = ("pleasant", "expected", "unknown", "warning")
# Advice is shown most pressing first.
ORDER = ("warning", "expected", "unknown")
LEVELS = range(0, 4)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class SideEffectDataError(DataFileError):
    """side_effects.toml does not have the shape the rule needs (a packaging bug, not user input)."""


@dataclass(frozen=True)
class Kind:
    name: str
    advice: str
    advise_from: int


@dataclass(frozen=True)
class Effect:
    key: str
    kind: str
    reason: str
    source: str
    checked: str
    # The lowest intensity (1–3) that brings this kind's advice; 0: never.
    advise_from: int

    def advises(self, level: object) -> bool:
        found = as_level(level)
        return bool(self.advise_from) and found is not None and found >= self.advise_from


@dataclass(frozen=True)
class Advice:
    kind: str  # "warning", "expected" or "unknown"
    keys: tuple[str, ...]  # the marked effects it is about, in the data file's order
    text: str


@dataclass(frozen=True)
class Table:
    kinds: dict[str, Kind]
    effects: dict[str, Effect]


@cache
def table() -> Table:
    return load_toml(DATA, parse, error=SideEffectDataError)


def parse(raw: Mapping[str, Any]) -> Table:
    if raw.get("schema") != 1:
        raise SideEffectDataError("side_effects.toml: unknown schema (expected schema = 1)")
    kinds = {name: _kind(name, (raw.get("kinds") or {}).get(name)) for name in KINDS}
    effects = {key: _effect(key, body, kinds) for key, body in (raw.get("effects") or {}).items()}
    if not effects:
        raise SideEffectDataError("side_effects.toml: no effects")
    return Table(kinds, effects)


def _kind(name: str, body: Mapping[str, Any] | None) -> Kind:
    if body is None:
        raise SideEffectDataError(f"side_effects.toml: kind {name!r} is missing")
    advice, advise_from = str(body.get("advice", "")), body.get("advise_from", -1)
    if advise_from not in LEVELS or bool(advice) != bool(advise_from):
        raise SideEffectDataError(f"side_effects.toml: kind {name!r} needs advice and advise_from 1–3 together")
    if name == "pleasant" and advice:
        raise SideEffectDataError("side_effects.toml: a pleasant effect is never a reason for advice")
    if name != "warning" and "{emergency}" in advice:
        raise SideEffectDataError(f"side_effects.toml: only warning signs mention the emergency number ({name!r} does)")
    return Kind(name, advice, int(advise_from))


def _effect(key: str, body: Mapping[str, Any], kinds: Mapping[str, Kind]) -> Effect:
    kind = kinds.get(str(body.get("kind", "")))
    if kind is None:
        raise SideEffectDataError(f"side_effects.toml: effect {key!r} needs a kind, one of {', '.join(KINDS)}")
    for required in ("reason", "source"):
        if not body.get(required):
            raise SideEffectDataError(f"side_effects.toml: effect {key!r} has no {required}")
    if not DAY.fullmatch(str(body.get("checked", ""))):
        raise SideEffectDataError(f"side_effects.toml: effect {key!r} needs a checked date (YYYY-MM-DD)")
    advise_from = body.get("advise_from", kind.advise_from)
    if advise_from not in LEVELS or (advise_from and not kind.advice):
        raise SideEffectDataError(f"side_effects.toml: effect {key!r} has advise_from outside what its kind allows")
    return Effect(key, kind.name, body["reason"], body["source"], body["checked"], int(advise_from))


def as_level(value: object) -> int | None:
    """0–3 from a stored int or a posted string; None for anything else."""
    text = str(value if value is not None else "").strip()
    return int(text) if text in {str(n) for n in LEVELS} else None


def effect(key: str) -> Effect | None:
    return table().effects.get(key)


def advice_text(kind: str, emergency: str = "") -> str:
    text = table().kinds[kind].advice
    return text.replace(" ({emergency})", f" ({emergency})" if emergency else "").replace("{emergency}", emergency)


def advice_for(marked: Mapping[str, object], emergency: str = "") -> list[Advice]:
    """What to say about the marked effects (key -> intensity 0–3), most pressing first.

    Unknown keys and pleasant effects bring nothing; `emergency` is the
    region's emergency number, put into the warning text.
    """
    due: dict[str, list[str]] = {kind: [] for kind in ORDER}
    for key, found in table().effects.items():
        if key in marked and found.advises(marked[key]):
            due[found.kind].append(key)
    return [Advice(kind, tuple(keys), advice_text(kind, emergency)) for kind, keys in due.items() if keys]
