"""The safety plan's parts (from `data/safety_plan.toml`), reading and saving a person's plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from afterglow.lib.datafiles import DataFileError, load_toml
from afterglow.lib.errors import UserError
from afterglow.safety.models import SafetyPlan

DATA = Path(__file__).parent / "data" / "safety_plan.toml"
MAX_CHARS = 20_000


class PlanError(UserError, ValueError):
    """Something typed that cannot be saved; the message is meant for the person."""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    hint: str


@cache
def sections() -> tuple[Section, ...]:
    return load_toml(DATA, parse)


def parse(raw: Mapping[str, Any]) -> tuple[Section, ...]:
    found = tuple(Section(s.get("key", ""), s.get("title", ""), s.get("hint", "")) for s in raw.get("sections", ()))
    fields = {f.name for f in SafetyPlan._meta.get_fields() if f.get_internal_type() == "TextField"}
    keys = [s.key for s in found]
    if any(not s.key or not s.title for s in found):
        raise DataFileError("safety_plan.toml: every section needs a key and a title")
    if sorted(keys) != sorted(fields):
        raise DataFileError(f"safety_plan.toml: sections {sorted(keys)} do not match the plan's fields {sorted(fields)}")
    return found


def plan_of(owner: Any) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(owner=owner).first()


def has_plan(owner: Any) -> bool:
    plan = plan_of(owner)
    return plan is not None and any(getattr(plan, s.key).strip() for s in sections())


def parse_form(data: Mapping[str, Any]) -> dict[str, str]:
    values = {s.key: str(data.get(s.key, "")).replace("\r\n", "\n").strip() for s in sections()}
    for section in sections():
        if len(values[section.key]) > MAX_CHARS:
            raise PlanError(f"“{section.title}” is very long (over {MAX_CHARS:,} characters); please shorten it a little.")
    return values


@transaction.atomic
def save(owner: Any, values: Mapping[str, str]) -> SafetyPlan:
    plan = SafetyPlan.objects.select_for_update().filter(owner=owner).first() or SafetyPlan(owner=owner)
    for key, value in values.items():
        setattr(plan, key, value)
    plan.save()
    return plan


def filled(plan: SafetyPlan | None) -> list[tuple[Section, str]]:
    """Each part with what the person wrote ('' when empty), in order."""
    return [(s, getattr(plan, s.key) if plan else "") for s in sections()]
