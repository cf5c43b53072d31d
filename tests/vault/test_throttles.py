"""Wrong secrets are throttled per client, on every form that checks one, and strangers never lock the owner out."""

from __future__ import annotations

import pytest
from django.test import Client

from afterglow.vault import keyfile, session
from afterglow.vault.throttle import SHARED_GRACE, ClientThrottles, Throttle
from tests.vault.test_web import PASSPHRASE, csrf_post, vault_home  # noqa: F401  (vault_home is a fixture)

pytestmark = [pytest.mark.vault_locked, pytest.mark.usefixtures("vault_home")]
WRONG = "not the passphrase at all"


def a_browser() -> Client:
    return Client(enforce_csrf_checks=True)


def test_a_strangers_guesses_do_not_make_the_owner_wait(client):
    assert csrf_post(client, "/unlock", {"passphrase": PASSPHRASE}).status_code == 302  # the owner's browser
    csrf_post(client, "/lock")
    stranger = a_browser()
    statuses = [csrf_post(stranger, "/unlock", {"passphrase": f"{WRONG} {n}"}).status_code for n in range(6)]
    assert statuses[0] == 422 and set(statuses[1:]) == {429}
    assert csrf_post(client, "/unlock", {"passphrase": PASSPHRASE}).status_code == 302
    assert session.is_unlocked()


def test_a_stranger_who_keeps_dropping_cookies_meets_the_shared_ceiling(client):
    statuses = [csrf_post(a_browser(), "/unlock", {"passphrase": f"{WRONG} {n}"}).status_code for n in range(SHARED_GRACE + 2)]
    assert statuses[:SHARED_GRACE] == [422] * SHARED_GRACE
    assert statuses[-1] == 429
    # Even the right passphrase from a fresh, unknown browser waits its turn now...
    assert csrf_post(a_browser(), "/unlock", {"passphrase": PASSPHRASE}).status_code == 429
    assert not session.is_unlocked()


def test_the_owners_browser_is_not_held_by_the_shared_ceiling(client):
    csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    csrf_post(client, "/lock")
    for n in range(SHARED_GRACE + 3):
        csrf_post(a_browser(), "/unlock", {"passphrase": f"{WRONG} {n}"})
    assert csrf_post(client, "/unlock", {"passphrase": PASSPHRASE}).status_code == 302


def test_the_passphrase_change_form_makes_a_guesser_wait(client):
    csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    change = {"new": "a new one here", "again": "a new one here"}
    first = csrf_post(client, "/privacy/passphrase", {"current": WRONG, **change})
    second = csrf_post(client, "/privacy/passphrase", {"current": f"{WRONG} 2", **change})
    assert first.status_code == 422 and second.status_code == 429
    assert b"please wait" in second.content.lower()
    blocked = csrf_post(client, "/privacy/passphrase", {"current": PASSPHRASE, **change})
    assert blocked.status_code == 429
    keyfile.load().open_with_passphrase(PASSPHRASE)  # nothing changed while waiting


def test_the_recovery_form_makes_a_guesser_wait(client):
    typed = {"recovery_key": "ABCDE-FGHIJ-KLMNO", "new": "brand new words", "again": "brand new words"}
    assert csrf_post(client, "/recover", typed).status_code == 422
    assert csrf_post(client, "/recover", typed).status_code == 429


def test_guesses_at_one_form_count_at_the_others(client):
    typed = {"recovery_key": "ABCDE-FGHIJ-KLMNO", "new": "brand new words", "again": "brand new words"}
    assert csrf_post(client, "/recover", typed).status_code == 422
    assert csrf_post(client, "/unlock", {"passphrase": WRONG}).status_code == 429


def test_each_client_has_its_own_count_and_a_success_clears_only_its_own():
    now = [0.0]
    throttles = ClientThrottles(clock=lambda: now[0])
    assert [throttles.failed("stranger", False) for _ in range(3)] == [0, 2, 4]
    assert throttles.seconds_left("owner", True) == 0
    assert throttles.seconds_left("stranger", False) == 4
    throttles.succeeded("owner")
    assert throttles.seconds_left("stranger", False) == 4


def test_it_remembers_a_bounded_number_of_clients():
    throttles = ClientThrottles(max_clients=3)
    for n in range(10):
        throttles.failed(f"client {n}", True)
    assert len(throttles._clients) == 3


def test_an_hour_without_misses_forgets_the_count():
    now = [0.0]
    throttle = Throttle(clock=lambda: now[0])
    throttle.failed(), throttle.failed(), throttle.failed()
    now[0] += 3601
    assert throttle.failed() == 0
