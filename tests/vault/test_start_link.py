"""A journal unlocked from AFTERGLOW_PASSPHRASE opens only to the browser holding serve's one-time link."""

from __future__ import annotations

import pytest
from django.test import Client

from afterglow.vault import keyfile, keyring, session
from tests.vault.test_web import PASSPHRASE, vault_home  # noqa: F401  (a fixture: keys.json and journal.db in a fresh data dir)


@pytest.fixture(autouse=True)
def started_unlocked(vault_home):  # noqa: F811
    """As `serve` with AFTERGLOW_PASSPHRASE: the journal open with its own key."""
    keyring.remember(keyfile.load().open_with_passphrase(PASSPHRASE))


def test_a_journal_started_unlocked_is_closed_to_a_browser_without_the_link(client, patient):
    session.issue_start_link_secret()
    response = client.get("/timeline")
    assert response.status_code == 302 and response["Location"].startswith("/unlock")
    assert b"not in this browser yet" in client.get("/unlock").content


def test_the_start_link_lets_one_browser_in_once(client, patient):
    secret = session.issue_start_link_secret()
    opened = client.get(f"/start/{secret}")
    assert opened.status_code == 200 and b'http-equiv="refresh" content="0;url=/"' in opened.content
    assert client.get("/timeline").status_code == 200

    other = Client()
    again = other.get(f"/start/{secret}")
    assert again.status_code == 403 and b"used up" in again.content
    assert other.get("/timeline").status_code == 302


def test_a_wrong_or_old_start_link_opens_nothing(client, patient):
    old = session.issue_start_link_secret()
    session.issue_start_link_secret()
    assert client.get(f"/start/{old}").status_code == 403
    assert client.get("/start/guess").status_code == 403
    assert client.get("/timeline").status_code == 302


def test_locking_voids_the_start_link(client, patient):
    secret = session.issue_start_link_secret()
    session.lock()
    assert client.get(f"/start/{secret}").status_code == 403
    assert client.get("/timeline").status_code == 302
