from __future__ import annotations

import pytest

from afterglow.preferences.store import local
from afterglow.safety import preferences
from afterglow.safety.models import SafetyPlan
from tests.conftest import csrf_post


@pytest.fixture(autouse=True)
def no_env_region(monkeypatch):
    monkeypatch.delenv("AFTERGLOW_CRISIS_REGION", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def test_help_shows_the_us_lines_by_default(client, patient):
    body = client.get("/help").content.decode()
    assert "Call 988" in body and "Call 911" in body and "Last checked" in body


def test_switching_region_in_settings_changes_the_numbers_everywhere(client, patient):
    response = csrf_post(client, "/settings/safety", {"region": "GB", "gentle_notes": "on"})
    assert response.status_code == 302
    assert preferences.chosen_region(local()) == "GB"
    body = client.get("/help").content.decode()
    assert "Call 116123" in body and "Call 999" in body and "Call 988" not in body
    assert "In an emergency, call 999." in client.get("/timeline").content.decode()  # every page's footer


def test_the_chosen_region_wins_over_the_environment(client, patient, monkeypatch):
    monkeypatch.setenv("AFTERGLOW_CRISIS_REGION", "US")
    csrf_post(client, "/settings/safety", {"region": "AU"})
    assert "Call 000" in client.get("/help").content.decode()


def test_an_unknown_region_is_refused_with_a_400(client, patient):
    response = csrf_post(client, "/settings/safety", {"region": "ATLANTIS"})
    assert response.status_code == 400 and "choose one of the places" in response.content.decode()
    assert preferences.chosen_region(local()) == ""


def test_the_gentle_note_switch_is_saved_and_its_text_is_honest(client, patient):
    body = client.get("/settings/safety").content.decode()
    assert "a kindness, not a detector" in body and "nothing is sent anywhere" in body
    csrf_post(client, "/settings/safety", {"region": "US"})
    assert preferences.gentle_notes(local()) is False


def test_help_can_show_another_place_without_changing_the_setting(client, patient):
    body = client.get("/help?region=NZ").content.decode()
    assert "Call 1737" in body and "Call 111" in body
    assert preferences.chosen_region(local()) == ""


def test_help_offers_the_safety_plan_only_when_unlocked(client, patient):
    assert 'href="/safety-plan"' in client.get("/help").content.decode()


@pytest.mark.vault_locked
def test_help_needs_no_unlock_and_shows_no_plan_link_while_locked(client, db):
    response = client.get("/help")
    body = response.content.decode()
    assert response.status_code == 200 and "Call 988" in body
    assert 'href="/safety-plan"' not in body


@pytest.mark.vault_locked
def test_the_safety_plan_itself_needs_the_unlock(client, db):
    assert client.get("/safety-plan").status_code == 302


def test_the_safety_plan_round_trips_and_prints(client, patient):
    typed = {
        "warning_signs": "Not sleeping; skipping meals",
        "on_my_own": "Walk the dog",
        "people_places": "Ana's kitchen",
        "ask_for_help": "Ana 555 0102",
        "professionals": "Dr Ruiz, clinic 555 0199",
        "safer_surroundings": "Pills with Ana",
        "reasons": "My niece\nThe garden",
    }
    assert csrf_post(client, "/safety-plan", typed).status_code == 302
    assert SafetyPlan.objects.get(owner=patient).reasons == "My niece\nThe garden"
    body = client.get("/safety-plan").content.decode()
    assert "Walk the dog" in body and "Ana&#x27;s kitchen" in body
    printed = client.get("/safety-plan/print").content.decode()
    assert "My niece<br>The garden" in printed and "Warning signs" in printed and "css/safety.css" in printed
    assert "Open my safety plan" in client.get("/help").content.decode()


def test_an_overlong_part_is_refused_with_everything_kept(client, patient):
    response = csrf_post(client, "/safety-plan", {"on_my_own": "x" * 20_001, "reasons": "still here"})
    body = response.content.decode()
    assert response.status_code == 400 and "still here" in body and "very long" in body
    assert not SafetyPlan.objects.exists()


def test_the_plan_saves_as_you_type_and_answers_in_json(client, patient):
    response = csrf_post(client, "/safety-plan", {"reasons": "The sea"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["ok"]
    assert SafetyPlan.objects.get().reasons == "The sea"
    too_long = csrf_post(client, "/safety-plan", {"reasons": "x" * 20_001}, HTTP_ACCEPT="application/json")
    assert too_long.status_code == 400 and not too_long.json()["ok"]
    assert SafetyPlan.objects.get().reasons == "The sea"
