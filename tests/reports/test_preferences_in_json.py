"""A person's preferences travel in an Afterglow json export and come back on import, checked as Settings checks them."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from afterglow.moments import stars
from afterglow.preferences import idle
from afterglow.preferences.store import local
from afterglow.reports.formats import importer
from afterglow.reports.progress import quiet
from afterglow.rhythm import preferences as reminders
from afterglow.safety import preferences as safety
from afterglow.web import display
from tests.reports.helpers import export_bytes
from tests.reports.test_imports import afterglow_zip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_config(settings, tmp_path):
    """Each test's config.toml in its own folder."""
    settings.HOME = tmp_path
    return tmp_path


def choose_everything() -> None:
    prefs = local()
    display.save(prefs, "dark", "largest")
    safety.set_region(prefs, "GB")
    safety.set_gentle_notes(prefs, False)
    reminders.save(prefs, {"checkin": "21:30", "reflect": "08:05"}, "Europe/Paris", True)
    idle.save(prefs, 10)
    stars.set_bring_back(prefs, False)


def import_json(owner, data: bytes):
    return importer("json").reader(owner, io.BytesIO(data), quiet())


def with_preferences(preferences: object, version: int = 2) -> bytes:
    return afterglow_zip(json.dumps({"format": "afterglow-journal", "schema_version": version, "preferences": preferences}))


def test_it_carries_every_preference_to_a_new_computer(patient, own_config):
    choose_everything()
    data = export_bytes(patient, "json")
    doc = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("afterglow.json"))
    assert doc["schema_version"] == 2
    assert doc["preferences"]["display"] == {"theme": "dark", "text": "largest"}
    assert doc["preferences"]["privacy"] == {"idle_minutes": 10}
    (own_config / "config.toml").unlink()  # a new computer: nothing chosen yet
    said = import_json(patient, data).words()
    prefs = local()
    assert display.load(prefs) == display.Display("dark", "largest")
    assert safety.chosen_region(prefs) == "GB" and not safety.gentle_notes(prefs)
    chosen = reminders.load(prefs)
    assert {k: t.strftime("%H:%M") for k, t in chosen.times.items()} == {"checkin": "21:30", "reflect": "08:05"}
    assert chosen.zone.key == "Europe/Paris" and chosen.detailed
    assert idle.minutes(prefs) == 10 and not stars.bring_back(prefs)
    assert "Your settings for the look, the crisis lines" in said and "came from the export." in said


def test_it_says_nothing_about_settings_when_they_are_already_the_same(patient):
    choose_everything()
    said = import_json(patient, export_bytes(patient, "json")).words()
    assert "settings" not in said


def test_it_leaves_out_an_unknown_or_unusable_setting_with_a_word_and_takes_the_rest(patient):
    display.save(local(), "light", "normal")
    idle.save(local(), 30)
    said = import_json(patient, with_preferences({
        "display": {"theme": "neon", "text": "large"},
        "privacy": {"idle_minutes": "ten"},
        "safety": {"region": "XX", "gentle_notes": "yes"},
        "reminders": {"checkin": "25:99", "time_zone": "Mars/Olympus", "capture": "20:00"},
        "telemetry": {"send": True},
        "moments": "not a section",
    })).words()  # fmt: skip
    prefs = local()
    assert display.load(prefs) == display.Display("light", "large")  # the size taken, the look left as it was
    assert idle.minutes(prefs) == 30 and safety.chosen_region(prefs) == "" and safety.gentle_notes(prefs)
    chosen = reminders.load(prefs)
    assert list(chosen.times) == ["capture"] and not chosen.zone_chosen
    assert "The export's look (“neon”) is not one Afterglow can use, so yours stays as it was." in said
    assert "(“ten”)" in said and "(“XX”)" in said and "(“yes”)" in said and "(“25:99”)" in said
    assert "1 more setting could not be used" in said and "Mars" not in said  # past five, a count rather than a list
    assert "2 settings this Afterglow does not know were left out." in said
    assert "telemetry" not in (own_config_text := (local().path.read_text())) and "send" not in own_config_text


@pytest.mark.parametrize("preferences", [None, "dark", 42, [], [{"display": {"theme": "dark"}}, 7]])
def test_settings_that_are_not_sections_never_stop_the_import(patient, preferences):
    result = import_json(patient, with_preferences(preferences))
    assert result.words().startswith("Imported nothing new.")
    assert display.load(local()) == display.Display()


def test_an_export_from_before_preferences_still_imports_and_changes_no_setting(patient):
    display.save(local(), "dark", "normal")
    result = import_json(patient, afterglow_zip(json.dumps({"format": "afterglow-journal", "schema_version": 1})))
    assert result.words() == "Imported nothing new."
    assert display.load(local()) == display.Display("dark", "normal")


def test_a_file_that_stops_half_way_changes_no_setting(patient):
    from afterglow.lib.errors import UserError

    bad = {"format": "afterglow-journal", "schema_version": 2, "preferences": {"display": {"theme": "dark"}},
           "checkins": [{"id": 1, "at": "2025-01-01T08:00:00Z", "mood": 42}]}  # fmt: skip
    with pytest.raises(UserError):
        import_json(patient, afterglow_zip(json.dumps(bad)))
    assert display.load(local()) == display.Display()


def test_it_exports_only_the_settings_afterglow_knows(patient, own_config):
    (own_config / "config.toml").write_text('[display]\ntheme = "dark"\nsecret = "x"\n\n[elsewhere]\nkey = 1\n')
    doc = json.loads(zipfile.ZipFile(io.BytesIO(export_bytes(patient, "json"))).read("afterglow.json"))
    assert doc["preferences"] == {"display": {"theme": "dark"}}
