"""What every signed-in page costs before its own work: the session and the person, read in one query with
their role, preferences, private-entry key and whether they added an authenticator (clinic/backend.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from afterglow.clinic import backend
from afterglow.clinic.models import Role
from afterglow.preferences.store import for_patient
from afterglow.web import display
from tests.clinic.people import PASSWORD, member, post, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]


def _queries(client, url: str) -> list[str]:
    client.get(url)  # the first visit may push the session's end (a write at most once a minute)
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in seen.captured_queries]


def test_a_patient_page_begins_with_two_queries_the_session_and_the_person():
    client = signed_in(member("pat", Role.PATIENT))
    post(client, "/settings/display", {"theme": "dark", "text": "large"})
    said = _queries(client, "/settings")
    assert len(said) == 2, said  # was 6: the role, the preferences, the key and the authenticator each on their own
    assert "django_session" in said[0] and "auth_user" in said[1]
    page = client.get("/settings").content.decode()
    assert 'data-text="large"' in page  # the preferences read with the person are the ones saved


def test_a_staff_page_reads_the_role_with_the_person_too():
    client = signed_in(member("dr-c", Role.CLINICIAN))
    said = _queries(client, "/clinic/")
    assert not any('FROM "clinic_member"' in q for q in said), said


def test_a_patient_who_adds_an_authenticator_is_asked_for_it_on_the_next_page():
    patient = member("mo", Role.PATIENT)
    client = signed_in(patient)
    assert client.get("/timeline").status_code == 200
    TOTPDevice.objects.create(user=patient, name="phone", confirmed=True)  # added from another browser
    assert client.get("/timeline")["Location"] == "/login/verify"


def test_a_session_signed_in_before_this_backend_still_opens_its_pages():
    client = signed_in(member("old", Role.PATIENT))
    session = client.session
    assert session[BACKEND_SESSION_KEY] == backend.PATH
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert client.get("/timeline").status_code == 200


def test_a_preference_saved_in_a_request_is_read_back_in_that_request():
    patient = member("pip", Role.PATIENT)
    user = backend.ClinicBackend().get_user(patient.pk)
    assert display.load(for_patient(user)) == display.Display()
    display.save(for_patient(user), "dark", "largest")
    assert display.load(for_patient(user)) == display.Display("dark", "largest")  # not the row read with the account


def test_the_sign_in_backend_checks_no_password_of_its_own():
    member("sam", Role.PATIENT)
    assert backend.ClinicBackend().authenticate(None, username="sam", password=PASSWORD) is None
