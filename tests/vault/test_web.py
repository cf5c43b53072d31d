"""The vault's pages through Django's test client, on a throw-away data dir."""

from __future__ import annotations

import errno
from dataclasses import replace
from pathlib import Path

import pytest

from afterglow.vault import keyfile, keyring, session, store
from afterglow.vault.errors import StorageError
from afterglow.vault.throttle import Throttle, wait_after
from tests.conftest import csrf_post as _csrf_post
from tests.vault.conftest import journal_file_for

PASSPHRASE = "morning light on water"


@pytest.fixture
def vault_home(settings, tmp_path: Path) -> Path:
    """keys.json for PASSPHRASE and its (empty) journal.db in a fresh data dir (the test DB stays Django's in-memory one)."""
    settings.HOME = tmp_path
    keys, data_key, recovery = keyfile.create(PASSPHRASE)
    keyfile.save(replace(keys, recovery_confirmed=True))  # a journal whose recovery key was kept
    journal_file_for(data_key)
    tmp_path.joinpath("recovery.txt").write_text(recovery)
    return tmp_path


pytestmark = pytest.mark.vault_locked


def csrf_post(client, url: str, data: dict | None = None):
    # While locked, /help has no form and sets no CSRF cookie; the vault's own pages do.
    client.get("/setup" if not keyfile.exists() else "/unlock")
    return _csrf_post(client, url, data)


def test_it_sends_every_page_to_unlock_and_remembers_where_you_were(client, vault_home):
    response = client.get("/timeline?week=2")
    assert response.status_code == 302
    assert response["Location"] == "/unlock?next=%2Ftimeline%3Fweek%3D2"


def test_it_keeps_health_help_and_static_open_while_locked(client, vault_home):
    assert client.get("/healthz").status_code == 200
    assert client.get("/help").status_code == 200
    assert client.get("/static/css/vault.css").status_code == 200


def test_its_path_prefixes_follow_the_url_names(settings):
    # The middleware matches families of addresses by prefix; moving a page in urls.py must move its prefix too.
    from django.urls import reverse

    from afterglow.phones.middleware import UNPAIRED_OPEN
    from afterglow.vault import middleware

    families = {
        UNPAIRED_OPEN: [reverse("pair"), reverse("pair_root"), reverse("help"), settings.STATIC_URL, reverse("healthz")],
        middleware.OPEN_PREFIXES: [
            settings.STATIC_URL,
            reverse("healthz"),
            reverse("help"),
            reverse("pair"),
            reverse("manifest"),
            reverse("service_worker"),
            reverse("offline"),
        ],
        middleware.VAULT_PAGES: [
            reverse("unlock"),
            reverse("recover"),
            reverse("vault_setup"),
            reverse("vault_start", args=["s"]),
        ],
        middleware.RECOVERY_GATE_OPEN: [reverse("recovery_key"), reverse("vault_setup_kept"), reverse("lock")],
        middleware.QUIET_PAGES: [reverse("lock_status")],
    }
    for prefixes, paths in families.items():
        assert all(path.startswith(prefixes) for path in paths)
        assert all(any(path.startswith(prefix) for path in paths) for prefix in prefixes)


def test_it_answers_a_locked_save_with_401_and_where_to_unlock(client, vault_home):
    response = csrf_post(client, "/write", {"text": "kept in the page"})
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/unlock?next=")
    # A person who pressed a button sees a page with the way to unlock, not a bare line of text.
    assert b'href="/unlock?next=%2Fwrite"' in response.content


def test_it_offers_setup_when_there_is_no_journal_yet(client, settings, tmp_path):
    settings.HOME = tmp_path
    assert client.get("/")["Location"] == "/setup"
    page = client.get("/setup")
    assert page.status_code == 200 and b"Choose a passphrase" in page.content


def test_setup_shows_the_recovery_key_once_and_asks_to_confirm(client, settings, tmp_path):
    settings.HOME = tmp_path
    response = csrf_post(client, "/setup", {"new": "three quiet words", "again": "three quiet words"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your recovery key" in body and (tmp_path / "keys.json").exists()
    assert session.is_unlocked()

    not_kept = csrf_post(client, "/setup/kept", {})
    assert not_kept.status_code == 400 and "recovery-key" in not_kept.content.decode()

    kept = csrf_post(client, "/setup/kept", {"kept": "on"})
    assert kept.status_code == 302 and kept["Location"] == "/"
    assert client.get("/").status_code == 200
    # The key is gone from memory, and the step is done: nothing more to confirm.
    assert csrf_post(client, "/setup/kept", {"kept": "on"})["Location"] == "/recovery-key"
    assert client.get("/recovery-key")["Location"] == "/"


def test_setup_refuses_mismatched_or_short_passphrases(client, settings, tmp_path):
    settings.HOME = tmp_path
    mismatch = csrf_post(client, "/setup", {"new": "three quiet words", "again": "three quiet wordz"})
    assert mismatch.status_code == 400 and "not the same" in mismatch.content.decode()
    short = csrf_post(client, "/setup", {"new": "short", "again": "short"})
    assert short.status_code == 400 and "at least 8" in short.content.decode()
    assert not (tmp_path / "keys.json").exists()


def test_a_wrong_passphrase_gets_a_kind_4xx_page(client, vault_home):
    response = csrf_post(client, "/unlock", {"passphrase": "not it at all"})
    assert response.status_code == 422
    assert "does not open this journal" in response.content.decode()
    assert not session.is_unlocked()


def test_unlocking_returns_to_the_page_you_were_on(client, vault_home):
    response = csrf_post(client, "/unlock", {"passphrase": PASSPHRASE, "next": "/timeline?week=2"})
    assert response.status_code == 302 and response["Location"] == "/timeline?week=2"
    assert keyring.current_key() is not None


def test_unlock_never_redirects_to_another_host(client, vault_home):
    response = csrf_post(client, "/unlock", {"passphrase": PASSPHRASE, "next": "https://elsewhere.example/"})
    assert response["Location"] == "/"


def test_failed_unlocks_wait_longer_each_time(client, vault_home):
    assert csrf_post(client, "/unlock", {"passphrase": "wrong one 1"}).status_code == 422
    second = csrf_post(client, "/unlock", {"passphrase": "wrong one 2"})
    assert second.status_code == 429 and b"please wait" in second.content.lower()
    blocked = csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    assert blocked.status_code == 429 and not session.is_unlocked()  # even the right one waits its turn
    assert [wait_after(n) for n in range(1, 6)] == [0, 2, 4, 8, 16]


def test_the_throttle_counts_down_and_resets_on_success():
    now = [100.0]
    throttle = Throttle(clock=lambda: now[0])
    assert throttle.failed() == 0 and throttle.failed() == 2 and throttle.failed() == 4
    assert throttle.seconds_left() == 4
    now[0] += 4
    assert throttle.seconds_left() == 0
    throttle.succeeded()
    assert throttle.failed() == 0


def test_the_lock_button_locks_and_a_browser_needs_its_own_unlock(client, vault_home):
    csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    assert b'action="/lock"' in client.get("/privacy").content
    response = csrf_post(client, "/lock")
    assert response["Location"] == "/unlock" and not session.is_unlocked()
    assert client.get("/privacy").status_code == 302


def test_locking_from_a_page_unlocks_back_onto_it(client, vault_home):
    csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    assert b'name="next" value="/timeline?week=2"' in client.get("/timeline?week=2").content
    response = csrf_post(client, "/lock", {"next": "/timeline?week=2"})
    assert response["Location"] == "/unlock?next=%2Ftimeline%3Fweek%3D2"
    assert csrf_post(client, "/unlock", {"passphrase": PASSPHRASE, "next": "/timeline?week=2"})["Location"] == "/timeline?week=2"


def test_locking_never_sends_you_on_to_another_host(client, vault_home):
    csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    assert csrf_post(client, "/lock", {"next": "https://elsewhere.example/"})["Location"] == "/unlock"


def test_an_unlock_in_one_browser_does_not_open_another(client, vault_home):
    from django.test import Client

    csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    assert Client().get("/privacy").status_code == 302


def test_it_locks_itself_after_the_idle_minutes(client, vault_home, settings, monkeypatch):
    csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    settings.VAULT_IDLE_MINUTES = 15
    monkeypatch.setattr(session, "idle_seconds", lambda: 15 * 60 + 1)
    response = client.get("/timeline")
    assert response.status_code == 302 and response["Location"].startswith("/unlock?next=")
    assert keyring.current_key() is None


def test_recovery_page_sets_a_new_passphrase(client, vault_home):
    recovery = (vault_home / "recovery.txt").read_text()
    response = csrf_post(client, "/recover", {"recovery_key": recovery, "new": "brand new words", "again": "brand new words"})
    assert response.status_code == 302 and session.is_unlocked()
    keys = keyfile.load()
    keys.open_with_passphrase("brand new words")
    with pytest.raises(Exception, match="does not open"):
        keys.open_with_passphrase(PASSPHRASE)


def test_a_wrong_recovery_key_keeps_what_was_typed(client, vault_home):
    typed = {"recovery_key": "ABCDE-FGHIJ", "new": "brand new words", "again": "brand new words"}
    response = csrf_post(client, "/recover", typed)
    assert response.status_code == 422
    assert 'value="ABCDE-FGHIJ"' in response.content.decode()


def test_the_settings_page_changes_the_passphrase(client, vault_home):
    csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    wrong = csrf_post(client, "/privacy/passphrase", {"current": "nope nope", "new": "a new one here", "again": "a new one here"})
    assert wrong.status_code == 422
    done = csrf_post(client, "/privacy/passphrase", {"current": PASSPHRASE, "new": "a new one here", "again": "a new one here"})
    assert done.status_code == 302
    keyfile.load().open_with_passphrase("a new one here")


def test_disk_trouble_gets_its_own_sentence(vault_home):
    for code, words in [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "read-only")]:
        with pytest.raises(StorageError, match=words), store.friendly_io():
            raise OSError(code, "boom")
