"""What the pages say about where the journal lives, in clinic mode: the clinic keeps the database
and its backups, deleting removes things from the clinic's server, and there is no passphrase,
no "this computer" and no backup of the patient's own to promise."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from afterglow.clinic.models import Role
from afterglow.journal.models import CheckIn
from tests.clinic.people import browser, member, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

# What only a journal on one computer may say.
LOCAL_PROMISES = (
    "this computer",
    "passphrase",
    "Backups you made",
    "your backups",
    "free space of the encrypted file",
    "encrypted journal",
    "when the journal is locked",
    "config.toml",
    "on this device",
)


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _promises_nothing_local(body: str) -> None:
    for phrase in LOCAL_PROMISES:
        assert phrase.lower() not in body.lower(), phrase


@pytest.fixture
def patient():
    return member("pat", Role.PATIENT)


PAGES = [
    "home", "trash", "voice_new", "photo_new", "draw", "write", "timeline", "checkin", "report", "export", "import",
    "grounding", "help", "settings", "safety_settings", "safety_plan", "key_moments", "search", "measures",
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_a_patients_pages_promise_nothing_of_a_journal_on_this_computer(patient, page):
    _promises_nothing_local(_text(signed_in(patient).get(reverse(page))))


def test_the_trash_says_deleting_erases_from_the_clinics_server_and_the_backups_are_the_clinics(patient):
    body = _text(signed_in(patient).get(reverse("trash")))
    assert "erased for good from your journal on the clinic's server" in body
    assert "About the clinic&#x27;s backups" in body or "About the clinic's backups" in body
    assert "Your clinic keeps the server's database and makes its backups" in body.replace("&#x27;", "'")


def test_deleting_a_check_in_names_the_clinics_backups_not_the_patients(patient):
    checkin = CheckIn.objects.create(owner=patient, at=timezone.now(), day=timezone.localdate(), mood=6)
    body = _text(signed_in(patient).get(reverse("checkin_delete", args=[checkin.pk]))).replace("&#x27;", "'")
    assert "The clinic's own backups of its server may hold it" in body
    _promises_nothing_local(body)


def test_the_welcome_says_the_journal_is_kept_on_the_clinics_server(patient):
    body = _text(signed_in(patient).get(reverse("home"))).replace("&#x27;", "'")
    assert "kept on your clinic's server, behind your password" in body
    assert "even before you sign in" in body


def test_grounding_before_signing_in_says_sign_in_not_passphrase():
    body = _text(browser().get(reverse("grounding")))
    assert "opens once you sign in" in body
    _promises_nothing_local(body)


def test_the_journals_footer_links_are_for_a_signed_in_patient_only(patient):
    trash = f'href="{reverse("trash")}"'
    assert trash not in _text(browser().get(reverse("clinic_sign_in")))
    assert trash in _text(signed_in(patient).get(reverse("timeline")))
    admin = signed_in(member("ada", Role.ADMIN))
    assert trash not in _text(admin.get(reverse("clinic_home")))


def test_pages_tell_their_scripts_a_401_means_signed_out_not_locked(patient):
    # draw.js, plan.js and recorder.js then say "sign in again", not "unlock" (which a clinic has not).
    assert '<html lang="en" data-text="normal" data-signs-in>' in _text(signed_in(patient).get(reverse("draw")))
