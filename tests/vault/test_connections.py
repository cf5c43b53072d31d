from __future__ import annotations

import json
import os
import threading

import pytest
from sqlcipher3 import dbapi2

from afterglow.vault import keyring, session
from afterglow.vault.backend.base import DatabaseWrapper


def _wrapper(path) -> DatabaseWrapper:
    path.touch()  # an open journal is never created by connecting to it
    settings = {
        "ENGINE": "afterglow.vault.backend",
        "NAME": str(path),
        "OPTIONS": {},
        "CONN_MAX_AGE": 600,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "TEST": {},
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
    }
    return DatabaseWrapper(settings, alias="t")


@pytest.fixture(autouse=True)
def _real_connections(django_db_blocker):
    with django_db_blocker.unblock():
        yield


def test_locking_closes_connections_held_by_other_threads(tmp_path):
    keyring.remember(os.urandom(32))
    wrapper = _wrapper(tmp_path / "j.db")
    opened = threading.Event()

    def worker() -> None:
        wrapper.ensure_connection()
        wrapper.connection.execute("CREATE TABLE t (x)")
        opened.set()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert opened.is_set()
    session.lock()
    with pytest.raises(dbapi2.ProgrammingError):
        wrapper.connection.execute("SELECT 1")


def test_a_connection_opened_under_a_forgotten_key_is_not_reused(tmp_path):
    keyring.remember(os.urandom(32))
    wrapper = _wrapper(tmp_path / "j.db")
    wrapper.ensure_connection()
    keyring.remember(os.urandom(32))
    wrapper.close_if_unusable_or_obsolete()
    assert wrapper.connection is None


def test_journals_and_backups_authenticate_pages_with_hmac_sha256(home):
    from afterglow.vault import keyfile, store
    from tests.vault.conftest import PASSPHRASE, ok, run

    ok(run(home, "backup", "-o", str(home.parent / "copy.db")))
    keys = json.loads((home / "keys.json").read_text())
    assert keys["cipher"] == "sqlcipher4-raw-key-hmac-sha256"
    key = keyfile.load(home / "keys.json").open_with_passphrase(PASSPHRASE)
    for path in (home / "journal.db", home.parent / "copy.db"):
        conn = store.connect(path, key)
        assert conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == "HMAC_SHA256"
        assert conn.execute("SELECT count(*) FROM journal_entry").fetchone()[0] == 1
        conn.close()


def test_it_never_makes_a_new_journal_file_when_connecting_with_a_key(tmp_path):
    keyring.remember(os.urandom(32))
    wrapper = _wrapper(tmp_path / "j.db")
    (tmp_path / "j.db").unlink()
    with pytest.raises(Exception, match="unable to open"):
        wrapper.ensure_connection()
    assert not (tmp_path / "j.db").exists()
