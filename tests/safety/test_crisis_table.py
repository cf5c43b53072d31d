"""Wrong helpline numbers are a known failure of mental-health apps: the table is tested."""

from __future__ import annotations

import re

import pytest

from afterglow.safety.crisis import choices, region_code_from_locale, region_for, regions

REQUIRED = ["US", "CA", "GB", "IE", "AU", "NZ", "INTL"]


def test_it_covers_every_required_region():
    assert set(REQUIRED) <= set(regions())


@pytest.mark.parametrize("code", REQUIRED)
def test_every_region_has_an_emergency_number_a_source_and_a_check_date(code):
    region = regions()[code]
    assert re.fullmatch(r"\d{3}", region.emergency)
    assert re.fullmatch(r"20\d\d-\d\d-\d\d", region.checked)
    assert region.source.startswith("https://")


@pytest.mark.parametrize("code", [c for c in REQUIRED if c != "INTL"])
def test_every_country_has_at_least_one_line_with_a_number(code):
    lines = regions()[code].lines
    assert lines and all(re.fullmatch(r"\d{3,11}", line.call or line.text) for line in lines)


@pytest.mark.parametrize(
    ("code", "emergency", "numbers"),
    [
        ("US", "911", {"988"}),
        ("CA", "911", {"988"}),
        ("GB", "999", {"116123", "85258"}),
        ("IE", "112", {"116123", "50808"}),
        ("AU", "000", {"131114", "0477131114"}),
        ("NZ", "111", {"1737"}),
        ("INTL", "112", set()),
    ],
)
def test_it_has_the_known_numbers(code, emergency, numbers):
    region = regions()[code]
    assert region.emergency == emergency
    assert numbers <= {n for line in region.lines for n in (line.call, line.text) if n}


def test_988_is_call_and_text_in_the_us_and_canada():
    for code in ("US", "CA"):
        line = regions()[code].lines[0]
        assert (line.call, line.text) == ("988", "988")


def test_the_fallback_says_to_use_the_local_emergency_number():
    assert "local emergency number" in regions()["INTL"].note


def test_a_text_line_that_needs_a_word_puts_it_in_the_message():
    shout = next(line for line in regions()["GB"].lines if line.text == "85258")
    assert shout.sms_href == "sms:85258?&body=SHOUT"


def test_the_picker_lists_the_fallback_last():
    assert choices()[-1].code == "INTL"


def test_region_comes_from_the_setting_then_the_environment_then_the_locale_then_us(monkeypatch):
    monkeypatch.delenv("AFTERGLOW_CRISIS_REGION", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert region_for().code == "US"
    monkeypatch.setenv("LANG", "en_NZ.UTF-8")
    assert region_for().code == "NZ"
    monkeypatch.setenv("AFTERGLOW_CRISIS_REGION", "gb")
    assert region_for().code == "GB"
    assert region_for("AU").code == "AU"
    monkeypatch.setenv("AFTERGLOW_CRISIS_REGION", "XX")
    assert region_for().code == "NZ"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert region_for().code == "INTL"  # asked for a place we do not know: the local-emergency fallback


def test_locale_codes_are_read_from_lang():
    assert region_code_from_locale("en_IE.UTF-8") == "IE"
    assert region_code_from_locale("C") == ""
