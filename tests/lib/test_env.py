"""Environment variables set wrong are named in one line (exit 2), never "something went wrong (ValueError)"."""

from __future__ import annotations

import pytest

from afterglow.lib.env import BadEnvironment, envint, time_zone_name
from tests.vault.conftest import _initialised_template, home, run  # noqa: F401


def test_a_whole_number_within_its_range_is_read(monkeypatch):
    monkeypatch.setenv("AFTERGLOW_X", " 12 ")
    assert envint("AFTERGLOW_X", 5, low=1, high=20) == 12
    monkeypatch.setenv("AFTERGLOW_X", "")
    assert envint("AFTERGLOW_X", 5, low=1, high=20) == 5


@pytest.mark.parametrize(
    "raw, message", [("abc", "should be a whole number"), ("-5", "should be from 0 to 10"), ("11", "from 0 to 10")]
)
def test_a_bad_number_names_the_variable(monkeypatch, raw, message):
    monkeypatch.setenv("AFTERGLOW_X", raw)
    with pytest.raises(BadEnvironment, match=f"AFTERGLOW_X=.*{message}"):
        envint("AFTERGLOW_X", 5, low=0, high=10)


def test_the_time_zone_is_checked_and_a_system_tz_rule_falls_back(monkeypatch):
    monkeypatch.setenv("AFTERGLOW_TIME_ZONE", "Mars/Olympus")
    with pytest.raises(BadEnvironment, match="not a time zone name"):
        time_zone_name()
    monkeypatch.delenv("AFTERGLOW_TIME_ZONE")
    monkeypatch.setenv("TZ", "XYZ-3:30")  # a POSIX rule the C library reads; Django cannot
    assert time_zone_name() == "UTC"
    monkeypatch.setenv("TZ", ":Europe/Paris")
    assert time_zone_name() == "Europe/Paris"


@pytest.mark.parametrize(
    "variable, value",
    [
        ("AFTERGLOW_PORT", "http"),
        ("AFTERGLOW_IDLE_MINUTES", "-5"),
        ("AFTERGLOW_BACKUPS_KEEP", "0"),
        ("AFTERGLOW_TIME_ZONE", "Nowhere"),
    ],
)
def test_the_cli_names_a_bad_variable_in_one_line(home, variable, value):  # noqa: F811  (the fixture imported above)
    result = run(home, "list", **{variable: value})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and variable in result.stderr
