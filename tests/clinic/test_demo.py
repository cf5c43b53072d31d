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
    roles = sorted(Member.objects.values_list("role", flat=True))
    assert roles == ["admin", "clinician", "clinician", "patient", "patient", "patient", "patient"]
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


def test_the_demo_clinicians_see_patients_who_consented_ordered_by_need():
    from afterglow.care.needs import ordered
    from afterglow.care.sharing import patients_of

    call_command("clinic", "demo", stdout=StringIO())
    rivera = Member.objects.get(user__username="dr-rivera").user
    listed = ordered(patients_of(rivera))
    assert [n.name for n in listed] == ["sam", "alex", "jo"]  # question 9, then a warning sign, then worsening
    assert listed[0].crisis_answer == 1 and listed[1].warnings and listed[2].worsening and listed[2].missed_days
    okafor = Member.objects.get(user__username="dr-okafor").user
    assert sorted(n.name for n in ordered(patients_of(okafor))) == ["alex", "jo"]  # kim shares with nobody
