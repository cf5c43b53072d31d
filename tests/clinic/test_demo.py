"""`afterglow clinic demo` (run by make clinic-demo): a small clinic whose patients can sign in at once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from afterglow.clinic.models import Member
from afterglow.journal.models import Entry
from tests.clinic.people import browser, post

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]


def test_the_demo_clinic_has_staff_with_invites_and_patients_with_journals():
    out = StringIO()
    call_command("clinic", "demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert sorted(Member.objects.values_list("role", flat=True)) == ["admin", "clinician", "patient", "patient", "patient"]
    sam = next(line for line in lines if " sam " in line)
    password = sam.split("password ", 1)[1].strip()
    client = browser()
    assert post(client, "/login", {"username": "sam", "password": password}).status_code == 302
    assert client.get("/")["Location"] == "/account/private/recovery-key"  # first, the recovery key, shown once
    assert post(client, "/account/private/recovery-key", {"kept": "on"}).status_code == 302
    page = client.get("/timeline").content.decode()
    assert "river" in page and "grandmother" not in page  # jo's words stay jo's
    assert Entry.objects.filter(owner__username="jo").exists()
    assert any("/invite/" in line for line in lines if "dr-rivera" in line)


def test_the_demo_refuses_a_database_that_already_has_accounts():
    call_command("clinic", "demo", stdout=StringIO())
    with pytest.raises(Exception, match="already has clinic accounts"):
        call_command("clinic", "demo", stdout=StringIO())
