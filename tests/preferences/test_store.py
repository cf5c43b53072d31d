"""Local mode's preferences stay in config.toml, checked the same way a clinic's rows are."""

from __future__ import annotations

import pytest

from afterglow.lib import config
from afterglow.preferences import idle
from afterglow.preferences.models import PatientPreferences
from afterglow.preferences.store import FileStore, for_patient, local
from afterglow.safety import preferences as safety
from afterglow.web import display
from tests.conftest import csrf_post


def test_it_keeps_local_mode_preferences_in_config_toml_and_in_no_row(client, patient, own_config):
    assert csrf_post(client, "/settings/display", {"theme": "dark", "text": "large"}).status_code == 302
    assert csrf_post(client, "/settings/safety", {"region": "GB", "gentle_notes": "on"}).status_code == 302
    kept = config.read(own_config / "config.toml")
    assert kept["display"] == {"theme": "dark", "text": "large"} and kept["safety"]["region"] == "GB"
    assert not PatientPreferences.objects.exists()


def test_every_local_store_is_the_one_file(patient, own_config):
    assert isinstance(for_patient(patient), FileStore) and for_patient(patient).path == own_config / "config.toml"
    safety.set_region(for_patient(patient), "IE")
    assert safety.chosen_region(local()) == "IE"


def test_it_refuses_to_keep_a_value_no_preference_has(own_config):
    for section, values in (("display", {"theme": ["dark"]}), ("display", {"text": "x" * 500}), ("Bad Name", {"a": 1})):
        with pytest.raises(ValueError):
            local().update(section, values)
    assert not (own_config / "config.toml").exists()


def test_it_reads_odd_hand_written_values_as_the_defaults(own_config):
    (own_config / "config.toml").write_text('safety = "GB"\n[display]\ntheme = ["dark"]\ntext = "large"\n', encoding="utf-8")
    assert display.load(local()) == display.Display("system", "large")
    assert safety.chosen_region(local()) == ""


def test_local_mode_offers_every_idle_time_and_keeps_the_choice(own_config, settings):
    assert idle.choices() == idle.CHOICES and idle.clinic_longest() is None
    assert idle.minutes(local()) == settings.VAULT_IDLE_MINUTES
    idle.save(local(), 120)
    assert idle.minutes(local()) == 120
    with pytest.raises(idle.IdleError):
        idle.save(local(), 7)
