"""Preferences per patient in a clinic: one patient's choices never change another's, and config.toml is not used."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from afterglow.clinic.models import Role
from afterglow.preferences import idle
from afterglow.preferences.models import PatientPreferences
from afterglow.preferences.store import for_patient
from afterglow.rhythm import preferences as reminders
from afterglow.safety import preferences as safety
from afterglow.safety.crisis import region_for, regions
from afterglow.web import display
from tests.clinic.people import browser, member, post, signed_in
from tests.reports.test_imports import afterglow_zip

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

NOTE = "you do not have to hold it alone"


def pair() -> tuple[Any, Any, Any, Any]:
    a, b = member("patient-a", Role.PATIENT), member("patient-b", Role.PATIENT)
    return a, b, signed_in(a), signed_in(b)


def elsewhere() -> str:
    """A region that is not the default, so choosing it shows."""
    return next(code for code in ("GB", "AU", "US") if code in regions() and code != region_for("").code)


def test_it_shows_each_patient_their_own_crisis_lines_on_every_page():
    a, b, as_a, as_b = pair()
    code = elsewhere()
    assert post(as_a, "/settings/safety", {"region": code, "gentle_notes": "on"}).status_code == 302
    chosen, usual = regions()[code], region_for("")
    for url in ("/timeline", "/settings", "/help"):
        a_page, b_page = as_a.get(url).content.decode(), as_b.get(url).content.decode()
        assert f"call {chosen.emergency}." in a_page and chosen.lines[0].name in a_page, url
        assert f"call {usual.emergency}." in b_page and chosen.lines[0].name not in b_page, url
    assert safety.chosen_region(for_patient(a)) == code and safety.chosen_region(for_patient(b)) == ""


def test_it_shows_a_visitor_who_has_not_signed_in_the_clinics_default_lines():
    _, _, as_a, _ = pair()
    post(as_a, "/settings/safety", {"region": elsewhere(), "gentle_notes": "on"})
    page = browser().get("/help").content.decode()
    assert f"call {region_for('').emergency}." in page


def test_it_keeps_each_patients_look_to_themselves():
    a, b, as_a, as_b = pair()
    assert post(as_a, "/settings/display", {"theme": "dark", "text": "largest"}).status_code == 302
    assert 'data-text="largest"' in as_a.get("/timeline").content.decode()
    assert 'data-text="largest"' not in as_b.get("/timeline").content.decode()
    assert display.load(for_patient(a)) == display.Display("dark", "largest")
    assert display.load(for_patient(b)) == display.Display()


def test_it_keeps_each_patients_reminders_to_themselves():
    a, b, as_a, as_b = pair()
    chosen = {"checkin_on": "on", "checkin_time": "21:30", "time_zone": "Europe/Paris", "detailed": "on"}
    assert post(as_a, "/settings/reminders", chosen).status_code == 302
    assert "BEGIN:VEVENT" in as_a.get("/reminders.ics").content.decode()
    assert "BEGIN:VEVENT" not in as_b.get("/reminders.ics").content.decode()
    mine, theirs = reminders.load(for_patient(a)), reminders.load(for_patient(b))
    assert mine.zone.key == "Europe/Paris" and list(mine.times) == ["checkin"] and mine.detailed
    assert theirs.times == {} and not theirs.zone_chosen and not theirs.detailed
    settings_page = as_b.get("/settings").content.decode()
    assert 'value="21:30"' not in settings_page


def test_it_offers_the_gentle_note_only_to_the_patient_who_kept_it_on():
    a, b, as_a, as_b = pair()
    assert post(as_a, "/settings/safety", {"region": region_for("").code}).status_code == 302  # the note left off
    words = {"text": "I want to die.", "then": "finish"}
    assert NOTE not in post(as_a, "/write", words, follow=True).content.decode()
    assert NOTE in post(as_b, "/write", words, follow=True).content.decode()
    assert safety.gentle_notes(for_patient(a)) is False and safety.gentle_notes(for_patient(b)) is True


def test_it_keeps_the_bring_back_switch_per_patient():
    from afterglow.moments import stars

    a, b, as_a, _ = pair()
    assert post(as_a, "/moments/preference", {}).status_code == 302  # unticked: off
    assert stars.bring_back(for_patient(a)) is False and stars.bring_back(for_patient(b)) is True


def test_patient_b_saving_every_setting_changes_nothing_of_as():
    a, _, as_a, as_b = pair()
    post(as_a, "/settings/display", {"theme": "light", "text": "large"})
    post(as_a, "/settings/safety", {"region": elsewhere(), "gentle_notes": "on"})
    before = PatientPreferences.objects.get(owner=a).sections
    for url, data in (
        ("/settings/display", {"theme": "dark", "text": "normal"}),
        ("/settings/safety", {"region": region_for("").code}),
        ("/settings/reminders", {"checkin_on": "on", "checkin_time": "07:00", "time_zone": "UTC"}),
        ("/settings/auto-lock", {"idle_minutes": "5"}),
        ("/moments/preference", {}),
    ):
        assert post(as_b, url, data).status_code == 302, url
    assert PatientPreferences.objects.get(owner=a).sections == before


def test_a_visitor_who_has_not_signed_in_saves_nothing():
    pair()
    for url in ("/settings/display", "/settings/safety", "/settings/auto-lock", "/settings/reminders"):
        response = post(browser(), url, {"theme": "dark", "text": "normal", "region": "GB", "idle_minutes": "5"})
        assert response.status_code in (302, 401), url
    assert not PatientPreferences.objects.exists()


def test_it_never_reads_or_writes_config_toml_in_a_clinic():
    home = Path(settings.HOME)
    (home / "config.toml").write_text('[display]\ntheme = "dark"\ntext = "largest"\n', encoding="utf-8")
    try:
        _, _, as_a, _ = pair()
        assert 'data-text="largest"' not in as_a.get("/timeline").content.decode()
        post(as_a, "/settings/display", {"theme": "light", "text": "large"})
        assert "light" not in (home / "config.toml").read_text(encoding="utf-8")
    finally:
        (home / "config.toml").unlink()


def test_it_reads_a_broken_row_as_the_defaults():
    a, _, as_a, _ = pair()
    PatientPreferences.objects.create(owner=a, sections={"display": {"theme": ["dark"], "text": 3}, "safety": "GB", "x y": {}})
    assert display.load(for_patient(a)) == display.Display()
    assert safety.chosen_region(for_patient(a)) == ""
    assert as_a.get("/settings").status_code == 200


def test_it_offers_idle_times_only_up_to_the_clinics_longest():
    _, _, as_a, _ = pair()
    longest = max(settings.VAULT_IDLE_MINUTES, 1)
    page = as_a.get("/settings").content.decode()
    assert f'<option value="{longest}" selected>' in page and f"after {longest} quiet minutes at most" in page
    longer = next(m for m in idle.CHOICES if m > longest)
    assert f'<option value="{longer}"' not in page
    assert post(as_a, "/settings/auto-lock", {"idle_minutes": str(longer)}).status_code == 400


def test_the_settings_page_links_to_no_phone_pairing_in_a_clinic():
    _, _, as_a, _ = pair()
    page = as_a.get("/settings").content.decode()
    assert 'href="/settings/phones"' not in page and 'href="#phones"' not in page
    assert as_a.get("/settings/phones").status_code == 404


def _quiet_for(client: Any, seconds: int) -> None:
    session = client.session
    session[idle.SEEN] = int(time.time()) - seconds
    session.save()


def test_it_signs_a_patient_out_after_their_own_shorter_idle_time():
    _, _, as_a, as_b = pair()
    shorter = idle.choices()[0]
    assert shorter < max(settings.VAULT_IDLE_MINUTES, 1)
    assert post(as_a, "/settings/auto-lock", {"idle_minutes": str(shorter)}).status_code == 302
    _quiet_for(as_a, shorter * 60 - 30)
    assert as_a.get("/timeline").status_code == 200  # not yet, and that visit starts the quiet time again
    _quiet_for(as_a, shorter * 60 + 30)
    _quiet_for(as_b, shorter * 60 + 30)
    assert as_a.get("/timeline")["Location"].startswith("/login")
    assert as_b.get("/timeline").status_code == 200  # B kept the clinic's time


def test_the_shorter_idle_time_holds_from_the_next_sign_in_too():
    a, _, as_a, _ = pair()
    shorter = idle.choices()[0]
    post(as_a, "/settings/auto-lock", {"idle_minutes": str(shorter)})
    again = signed_in(a)
    assert again.session[idle.LIMIT] == shorter
    _quiet_for(again, shorter * 60 + 30)
    assert again.get("/timeline")["Location"].startswith("/login")


def test_a_request_reads_its_patients_row_once(django_assert_num_queries):
    from django.test import RequestFactory

    from afterglow.preferences.store import for_request

    a, _, as_a, _ = pair()
    post(as_a, "/settings/display", {"theme": "dark", "text": "large"})
    request = RequestFactory().get("/timeline")
    request.user = a
    with django_assert_num_queries(1):
        assert display.load(for_request(request)).theme == "dark"
        assert safety.chosen_region(for_request(request)) == "" and idle.chosen(for_request(request)) is None


def test_remind_on_a_clinics_server_says_reminders_are_each_patients_own():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="each patient's reminders are their own") as refused:
        call_command("remind")
    assert refused.value.returncode == 2
    assert not type(member("patient-a", Role.PATIENT)).objects.filter(username="me").exists()


def test_an_error_page_before_sign_in_shows_the_default_look_and_lines():
    response = browser().get("/help", headers={"Host": "not-the-clinic.example"})
    assert response.status_code == 400 and f"call {region_for('').emergency}." in response.content.decode()


def _exported(client: Any) -> bytes:
    response = post(client, "/export", {"format": "json"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _imported(client: Any, data: bytes) -> Any:
    return post(client, "/import", {"format": "json", "file": SimpleUploadedFile("mine.zip", data)}, follow=True)


def test_a_patients_export_carries_their_own_settings_and_importing_it_changes_only_the_importer():
    _, b, as_a, as_b = pair()
    c = member("patient-c", Role.PATIENT)
    code = elsewhere()
    post(as_a, "/settings/display", {"theme": "dark", "text": "largest"})
    post(as_a, "/settings/safety", {"region": code})
    data = _exported(as_a)
    doc = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("afterglow.json"))
    assert doc["preferences"]["display"] == {"theme": "dark", "text": "largest"}
    assert doc["preferences"]["safety"] == {"region": code, "gentle_notes": False}
    page = _imported(as_b, data).content.decode()
    assert "Your settings for the look and the crisis lines came from the export." in page
    assert display.load(for_patient(b)) == display.Display("dark", "largest") and safety.chosen_region(for_patient(b)) == code
    assert display.load(for_patient(c)) == display.Display() and safety.chosen_region(for_patient(c)) == ""
    assert not (Path(settings.HOME) / "config.toml").exists()


def test_importing_settings_never_lengthens_the_clinics_idle_time():
    a, _, as_a, _ = pair()
    longest = idle.clinic_longest()
    assert longest is not None
    longer = next(m for m in idle.CHOICES if m > longest)
    doc = {"format": "afterglow-journal", "schema_version": 2, "preferences": {"privacy": {"idle_minutes": longer}}}
    page = _imported(as_a, afterglow_zip(json.dumps(doc))).content.decode()
    assert f"({longer} minutes) is longer than this clinic allows ({longest} at most)" in page
    assert idle.chosen(for_patient(a)) is None and idle.minutes(for_patient(a)) == longest
    assert idle.LIMIT not in as_a.session


def test_a_shorter_idle_time_from_an_import_holds_in_this_very_session():
    a, _, as_a, _ = pair()
    shorter = idle.choices()[0]
    doc = {"format": "afterglow-journal", "schema_version": 2, "preferences": {"privacy": {"idle_minutes": shorter}}}
    assert _imported(as_a, afterglow_zip(json.dumps(doc))).status_code == 200
    assert idle.chosen(for_patient(a)) == shorter and as_a.session[idle.LIMIT] == shorter
    _quiet_for(as_a, shorter * 60 + 30)
    assert as_a.get("/timeline")["Location"].startswith("/login")
