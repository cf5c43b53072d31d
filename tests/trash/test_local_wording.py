"""In local mode the Trash and delete pages still speak of this computer's journal and the
person's own passphrase-encrypted backups (clinic mode says otherwise: tests/clinic/test_clinic_wording.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from afterglow.journal.models import CheckIn


def test_the_trash_speaks_of_this_computer_and_your_own_backups(client, patient):
    body = client.get(reverse("trash")).content.decode()
    assert "erased for good from this computer's journal" in body.replace("&#x27;", "'")
    assert "encrypted with your passphrase" in body and "clinic" not in body.split("<footer")[0].lower()


def test_deleting_a_check_in_reminds_of_backups_you_made(client, patient):
    checkin = CheckIn.objects.create(owner=patient, at=timezone.now(), day=timezone.localdate(), mood=6)
    body = client.get(reverse("checkin_delete", args=[checkin.pk])).content.decode()
    assert "Backups you made earlier still hold it." in body and "clinic's own backups" not in body.replace("&#x27;", "'")


def test_local_pages_keep_the_locked_wording_for_their_scripts(client, patient):
    assert "data-signs-in" not in client.get(reverse("trash")).content.decode()
