"""The reminders' wording is data, checked when loaded."""

from __future__ import annotations

import tomllib

import pytest

from afterglow.rhythm.kinds import DATA, IDS, ReminderDataError, parse, wording


def test_it_loads_every_kind_with_its_wording():
    assert tuple(wording().kinds) == IDS
    assert wording().neutral == "Afterglow: a few minutes for yourself"


def test_it_refuses_a_file_missing_a_kind_or_with_a_bad_time():
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    with pytest.raises(ReminderDataError, match="exactly"):
        parse({**raw, "reminder": raw["reminder"][:-1]})
    broken = [dict(raw["reminder"][0], default_time="8pm"), *raw["reminder"][1:]]
    with pytest.raises(ReminderDataError, match="HH:MM"):
        parse({**raw, "reminder": broken})
