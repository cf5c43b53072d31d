"""Which body effects bring advice: only warning signs point to the clinic now and the emergency number."""

from __future__ import annotations

import tomllib

import pytest

from afterglow.journal import capture
from afterglow.safety import side_effects
from afterglow.safety.side_effects import SideEffectDataError, advice_for, parse

WARNING_SIGNS = {"chest_pain", "fainting", "severe_headache", "vomiting", "breathing", "confusion", "urination"}


def raw() -> dict:
    return tomllib.loads(side_effects.DATA.read_text(encoding="utf-8"))


def test_every_body_effect_in_the_capture_is_sorted_into_a_kind():
    assert {c.key for c in capture.load().sensations} <= set(side_effects.table().effects)


def test_every_effect_has_a_reason_a_source_and_a_check_date():
    for effect in side_effects.table().effects.values():
        assert effect.reason and effect.source.startswith("https://"), effect.key
        assert effect.checked.startswith("20"), effect.key


def test_the_warning_signs_from_clinical_sources_point_to_the_clinic_at_any_strength():
    warnings = {key for key, e in side_effects.table().effects.items() if e.kind == "warning" and e.advise_from == 1}
    assert warnings == WARNING_SIGNS


@pytest.mark.parametrize("key", ["relaxation", "tingling", "numbness", "nausea", "dizziness", "drowsiness", "other"])
@pytest.mark.parametrize("level", [1, 2, 3, "3"])
def test_a_pleasant_or_expected_effect_never_brings_emergency_advice_however_strong(key, level):
    found = advice_for({key: level}, "911")
    assert all(a.kind != "warning" for a in found)
    assert all("911" not in a.text and "emergency" not in a.text for a in found)


def test_a_pleasant_effect_brings_no_advice_at_all():
    assert advice_for({"relaxation": 3}, "911") == []


def test_a_strong_expected_effect_gets_the_gentle_rest_and_no_driving_note():
    [advice] = advice_for({"tingling": 3, "nausea": 2}, "911")
    assert advice.kind == "expected" and advice.keys == ("tingling",)
    assert "Rest" in advice.text and "driving" in advice.text


def test_a_mild_warning_sign_points_to_the_clinic_with_the_regions_number_first():
    found = advice_for({"tingling": 3, "chest_pain": 1, "breathing": "2"}, "999")
    assert [a.kind for a in found] == ["warning", "expected"]
    assert found[0].keys == ("chest_pain", "breathing") and "clinic now" in found[0].text and "(999)" in found[0].text


def test_a_racing_heart_is_a_warning_only_when_strong():
    assert advice_for({"racing_heart": 2}, "911") == []
    assert advice_for({"racing_heart": 3}, "911")[0].kind == "warning"


@pytest.mark.parametrize("level", [0, None, "", "7", "strong", -1])
def test_no_level_or_a_level_out_of_range_brings_nothing(level):
    assert advice_for({"chest_pain": level}, "911") == []


def test_unknown_effects_are_ignored():
    assert advice_for({"not-a-key": 3}, "911") == []


def test_without_a_number_the_warning_still_reads_well():
    [advice] = advice_for({"fainting": 1})
    assert "()" not in advice.text and "{emergency}" not in advice.text


def broken(change) -> dict:
    data = raw()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["effects"]["chest_pain"].pop("kind"), "needs a kind"),
        (lambda d: d["effects"]["chest_pain"].update(kind="alarming"), "needs a kind"),
        (lambda d: d["effects"]["nausea"].pop("source"), "has no source"),
        (lambda d: d["effects"]["nausea"].pop("reason"), "has no reason"),
        (lambda d: d["effects"]["nausea"].update(checked="last week"), "checked date"),
        (lambda d: d["effects"]["relaxation"].update(advise_from=3), "advise_from"),
        (lambda d: d["kinds"]["pleasant"].update(advice="Rest.", advise_from=3), "never a reason for advice"),
        (lambda d: d["kinds"]["expected"].update(advice="Call {emergency}."), "only warning signs"),
        (lambda d: d["kinds"].pop("warning"), "missing"),
        (lambda d: d.update(schema=2), "schema"),
    ],
)
def test_a_broken_table_is_refused_with_a_clear_message(change, message):
    with pytest.raises(SideEffectDataError, match=message):
        parse(broken(change))
