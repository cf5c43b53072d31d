"""Blood pressure and heart rate around a session, as the clinic measured them.

Two moments: before the dose, and before leaving. Each reading is optional and
kept as written (mmHg, beats a minute). The bounds only catch typing slips: a
value outside them is almost surely a mistake, never a judgement on the person.
Afterglow records these numbers and shows them back; it never interprets them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

SYSTOLIC = (60, 260)
DIASTOLIC = (30, 160)
HEART_RATE = (25, 250)

# (field prefix, how the page names the moment, CLI option stem)
MOMENTS = (("before", "Before the dose", "before"), ("leaving", "Before leaving", "leaving"))
FIELDS = tuple(f"{kind}_{moment}" for moment, _, _ in MOMENTS for kind in ("systolic", "diastolic", "heart_rate"))

PRESSURE_SHAPE = "Please write blood pressure as two numbers with a slash, top number first, for example 120/80."
PAIR_NEEDED = "Blood pressure has two numbers: please give both the top (systolic) and the bottom (diastolic) one."
TOP_ABOVE_BOTTOM = "The top number (systolic) is normally the larger one. Please check the order, for example 120/80."


def out_of_range(what: str, bounds: tuple[int, int], unit: str) -> str:
    low, high = bounds
    return f"That {what} looks like a typing slip: please check it. Afterglow takes {low} to {high} {unit}."


MESSAGES = {
    "systolic": out_of_range("top number", SYSTOLIC, "mmHg"),
    "diastolic": out_of_range("bottom number", DIASTOLIC, "mmHg"),
    "heart_rate": out_of_range("heart rate", HEART_RATE, "beats a minute"),
}
BOUNDS = {"systolic": SYSTOLIC, "diastolic": DIASTOLIC, "heart_rate": HEART_RATE}


def check_value(kind: str, value: int | None) -> int | None:
    low, high = BOUNDS[kind]
    if value is not None and not low <= value <= high:
        raise ValidationError(MESSAGES[kind])
    return value


def check_pair(systolic: int | None, diastolic: int | None) -> None:
    """Both numbers of a blood pressure or neither, the top one above the bottom one."""
    if (systolic is None) != (diastolic is None):
        raise ValidationError(PAIR_NEEDED)
    if systolic is not None and diastolic is not None and systolic <= diastolic:
        raise ValidationError(TOP_ABOVE_BOTTOM)


def parse_pressure(text: str) -> tuple[int, int]:
    """'120/80' (spaces allowed) as (systolic, diastolic), both within bounds."""
    match = re.fullmatch(r"\s*(\d{1,3})\s*/\s*(\d{1,3})\s*", text)
    if not match:
        raise ValidationError(PRESSURE_SHAPE)
    systolic = check_value("systolic", int(match[1]))
    diastolic = check_value("diastolic", int(match[2]))
    check_pair(systolic, diastolic)
    return int(match[1]), int(match[2])


@dataclass(frozen=True)
class Reading:
    """What the session page shows for one moment."""

    label: str
    systolic: int | None
    diastolic: int | None
    heart_rate: int | None

    @property
    def pressure(self) -> str:
        return f"{self.systolic}/{self.diastolic}" if self.systolic is not None else ""

    @property
    def any(self) -> bool:
        return self.systolic is not None or self.heart_rate is not None


def readings_of(session: Any) -> list[Reading]:
    """The session's readings, one per moment, in the order they are taken."""
    return [
        Reading(
            label,
            getattr(session, f"systolic_{moment}"),
            getattr(session, f"diastolic_{moment}"),
            getattr(session, f"heart_rate_{moment}"),
        )
        for moment, label, _ in MOMENTS
    ]
