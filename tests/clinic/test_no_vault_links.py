"""A clinic has no vault (its database is the clinic's): a patient's pages link to none of the
vault's pages (privacy, passphrase, recovery key, backups), which answer 404 there."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from afterglow.clinic.models import Role
from tests.clinic.people import member, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

VAULT_NAMES = ("privacy", "backup_now", "change_passphrase", "replace_recovery_key", "rekey")


@pytest.mark.parametrize("page", ["settings", "export", "import"])
def test_it_shows_a_patient_no_link_to_the_vaults_pages(page: str) -> None:
    client = signed_in(member("patient-a", Role.PATIENT))
    response = client.get(reverse(page))
    assert response.status_code == 200
    body = response.content.decode()
    targets = set(re.findall(r'(?:href|action)="([^"?#]*)', body))
    for name in VAULT_NAMES:
        assert reverse(name) not in targets, name
        assert client.get(reverse(name)).status_code == 404, name  # why no link may point there
    assert 'href="#privacy"' not in body and 'href="#backups"' not in body
