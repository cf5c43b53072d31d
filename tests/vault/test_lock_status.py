"""The cheap lock-status check that open pages make: truthful, and never keeping the journal awake."""

from __future__ import annotations

import pytest
from django.test import Client

from afterglow.vault import session


def test_it_tells_an_open_page_how_long_until_the_idle_lock(client, patient, settings, monkeypatch):
    settings.VAULT_IDLE_MINUTES = 15
    monkeypatch.setattr(session, "idle_seconds", lambda: 60.2)
    assert client.get("/lock/status").json() == {"open": True, "idle_left": 14 * 60}


def test_asking_is_not_activity(client, patient, monkeypatch):
    touched = []
    monkeypatch.setattr(session, "touch", lambda: touched.append(1))
    client.get("/lock/status")
    assert touched == []
    client.get("/timeline")
    assert touched == [1]


def test_it_locks_a_journal_whose_idle_time_is_up_and_says_so(client, patient, settings, monkeypatch):
    settings.VAULT_IDLE_MINUTES = 15
    monkeypatch.setattr(session, "idle_seconds", lambda: 15 * 60 + 1)
    assert client.get("/lock/status").json() == {"open": False, "idle_left": None}
    assert not session.is_unlocked()


@pytest.mark.vault_locked
def test_a_locked_journal_answers_without_redirecting(client):
    response = client.get("/lock/status")
    assert response.status_code == 200 and response.json()["open"] is False


def test_another_browser_is_told_it_is_not_open(client, patient):
    session.issue_start_link_secret()
    assert Client().get("/lock/status").json()["open"] is False


def test_every_unlocked_page_carries_the_cover_and_its_watcher(client, patient):
    body = client.get("/timeline").content.decode()
    assert 'id="lock-cover"' in body and "js/lockwatch.js" in body
    assert "lockwatch.js" not in client.get("/help").content.decode()
