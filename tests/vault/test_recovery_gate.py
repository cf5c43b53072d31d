"""The recovery key cannot be skipped, can be replaced, and the Settings re-key works (test client)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from afterglow.vault import keyfile, rekey, session, store, views
from afterglow.vault.errors import WrongRecoveryKey
from tests.conftest import csrf_post as _csrf_post
from tests.vault.conftest import journal_file_for

PASSPHRASE = "morning light on water"
NEW = "a new one here"

pytestmark = pytest.mark.vault_locked


def csrf_post(client, url: str, data: dict | None = None):
    client.get("/setup" if not keyfile.exists() else "/unlock")
    return _csrf_post(client, url, data)


@pytest.fixture
def set_up(client, settings, tmp_path: Path):
    """A journal just made through /setup: the recovery key is on screen, not yet confirmed."""
    settings.HOME = tmp_path
    page = csrf_post(client, "/setup", {"new": PASSPHRASE, "again": PASSPHRASE})
    assert page.status_code == 200
    return page.context["recovery"]


@pytest.fixture
def kept(client, settings, tmp_path: Path):
    """A journal whose recovery key was kept, unlocked in this client."""
    settings.HOME = tmp_path
    keys, data_key, recovery = keyfile.create(PASSPHRASE)
    keyfile.save(replace(keys, recovery_confirmed=True))
    journal_file_for(data_key)
    assert csrf_post(client, "/unlock", {"passphrase": PASSPHRASE}).status_code == 302
    return recovery


def test_no_page_opens_until_the_recovery_key_is_kept(client, set_up):
    assert keyfile.load().recovery_confirmed is False
    # The header's "Afterglow" link, and every other page, lead back to the key.
    for path in ("/", "/timeline", "/privacy", "/write", "/recover", "/privacy/passphrase"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/recovery-key", path
    page = client.get("/recovery-key")
    assert page.status_code == 200 and "-".join(page.context["recovery"]) == "-".join(set_up)


def test_help_health_static_and_lock_stay_open_at_the_recovery_step(client, set_up):
    assert client.get("/help").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/css/vault.css").status_code == 200
    assert csrf_post(client, "/lock", {})["Location"].startswith("/unlock")


def test_a_save_sent_at_the_recovery_step_is_refused_and_says_where_to_go(client, set_up):
    response = csrf_post(client, "/write", {"text": "kept in the page"})
    assert response.status_code == 409 and response["HX-Redirect"] == "/recovery-key"
    assert b'href="/recovery-key"' in response.content


def test_keeping_the_key_opens_the_journal_and_survives_a_restart(client, set_up):
    assert csrf_post(client, "/recovery-key", {}).status_code == 400
    assert csrf_post(client, "/recovery-key", {"kept": "on"})["Location"] == "/"
    assert keyfile.load().recovery_confirmed is True
    assert client.get("/").status_code == 200
    session.lock()
    views._pending_recovery.clear()  # as after a restart
    csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    assert client.get("/").status_code == 200


def test_after_a_restart_an_unkept_key_is_replaced_by_a_new_one(client, set_up):
    session.lock()
    views._pending_recovery.clear()  # the key shown before is gone from memory
    csrf_post(client, "/unlock", {"passphrase": PASSPHRASE})
    assert client.get("/")["Location"] == "/recovery-key"
    page = client.get("/recovery-key")
    assert b'action="/recovery-key/new"' in page.content
    assert csrf_post(client, "/recovery-key/new", {})["Location"] == "/recovery-key"
    fresh = "-".join(client.get("/recovery-key").context["recovery"])
    assert fresh != "-".join(set_up)
    with pytest.raises(WrongRecoveryKey):
        keyfile.load().open_with_recovery("-".join(set_up))
    csrf_post(client, "/recovery-key", {"kept": "on"})
    assert keyfile.load().open_with_recovery(fresh) and client.get("/").status_code == 200


def test_the_recovery_step_is_for_an_unlocked_browser_only(client, set_up):
    session.lock()
    assert client.get("/recovery-key")["Location"].startswith("/unlock?next=")
    assert csrf_post(client, "/recovery-key/new", {})["Location"].startswith("/unlock?next=")


def test_settings_issue_a_new_recovery_key_after_the_passphrase(client, kept, tmp_path: Path):
    backup_keys = tmp_path / "backups" / "journal-2026-01-02-030405.keys.json"
    keyfile.save(keyfile.load(), backup_keys)  # as a backup made today leaves beside it
    wrong = csrf_post(client, "/privacy/recovery-key", {"passphrase": "not my passphrase"})
    assert wrong.status_code in (422, 429) and keyfile.load().recovery_confirmed
    done = csrf_post(client, "/privacy/recovery-key", {"passphrase": PASSPHRASE})
    assert done["Location"] == "/recovery-key"
    assert client.get("/timeline")["Location"] == "/recovery-key"  # the new key must be kept first
    fresh = "-".join(client.get("/recovery-key").context["recovery"])
    csrf_post(client, "/recovery-key", {"kept": "on"})
    with pytest.raises(WrongRecoveryKey):
        keyfile.load().open_with_recovery(kept)  # the old key stops working, here and in the backups
    with pytest.raises(WrongRecoveryKey):
        keyfile.load(backup_keys).open_with_recovery(kept)
    assert keyfile.load(backup_keys).open_with_recovery(fresh) == keyfile.load().open_with_recovery(fresh)


def test_settings_rekey_needs_the_current_passphrase_and_shows_the_new_recovery_key(client, kept, tmp_path: Path):
    wrong = csrf_post(client, "/privacy/rekey", {"current": "not it at all", "new": NEW, "again": NEW})
    assert wrong.status_code in (422, 429)
    old_key = keyfile.load().open_with_passphrase(PASSPHRASE)
    journal = store.connect(store.journal_path(), old_key)  # a journal file to re-key (the test DB is in memory)
    journal.execute("CREATE TABLE words (text)")
    journal.execute("INSERT INTO words VALUES ('still here')")
    journal.close()
    done = csrf_post(client, "/privacy/rekey", {"current": PASSPHRASE, "new": NEW, "again": NEW})
    assert done["Location"] == "/recovery-key"
    new_key = keyfile.load().open_with_passphrase(NEW)
    assert new_key != old_key and session.keyring.current_key() == new_key
    assert client.get("/recovery-key").status_code == 200  # this browser stays unlocked, at the new key's step
    csrf_post(client, "/recovery-key", {"kept": "on"})
    assert client.get("/privacy").status_code == 200
    assert store.opens(store.journal_path(), new_key) and not store.opens(store.journal_path(), old_key)
    journal = store.connect(store.journal_path(), new_key)
    assert journal.execute("SELECT text FROM words").fetchall() == [("still here",)]
    journal.close()


def test_a_rekey_made_in_a_terminal_locks_the_running_server_instead_of_failing(client, kept):
    old_key = keyfile.load().open_with_passphrase(PASSPHRASE)
    journal = store.connect(store.journal_path(), old_key)
    journal.execute("CREATE TABLE words (text)")
    journal.close()
    session.open_journal(old_key, migrate=False)  # as `serve` holds it after an unlock
    assert client.get("/privacy").status_code == 200

    session.change_passphrase(PASSPHRASE, NEW)  # the same key under a new passphrase: nothing to do
    assert client.get("/privacy").status_code == 200 and session.is_unlocked()

    # Another process gives the file a new key; this one still holds the old key in memory.
    rekey.rekey(keyfile.load(), old_key, "a third set of words", lambda other: None)
    response = client.get("/privacy")
    assert response.status_code == 302 and response["Location"].startswith("/unlock")
    assert not session.is_unlocked()
