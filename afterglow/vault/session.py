"""Unlocking and locking the journal in this process.

The data key lives only in memory (`keyring`). In the local web app an
unlock made through the browser is bound to that browser's signed session
cookie by a random token; an unlock made from the environment
(`AFTERGLOW_PASSPHRASE`, used by scripts and tests) serves any local client.
"""

from __future__ import annotations

import getpass
import logging
import os
import secrets
import sys
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

from afterglow.lib import unchanged
from afterglow.vault import backup, claim, keyfile, keyring, store, tidy
from afterglow.vault.errors import JournalMissing, KeysMissing, NotSetUp, VaultError
from afterglow.vault.throttle import Throttle

log = logging.getLogger("afterglow.vault")
PASSPHRASE_ENV = "AFTERGLOW_PASSPHRASE"
SESSION_KEY = "vault_token"
MIN_PASSPHRASE = 8
CONVERT_IN_USE = (
    "Another Afterglow process has this journal open; stop it, then set the passphrase again so the journal "
    "can be encrypted. Nothing was changed."
)

throttle = Throttle()
_state_lock = threading.Lock()
_token: str | None = None
_last_seen = time.monotonic()
_opened_file: tuple[int, int] | None = None  # journal.db as it was when the key was taken into use


# --- state -----------------------------------------------------------------


def is_unlocked() -> bool:
    return keyring.current_key() is not None


def is_set_up() -> bool:
    return keyfile.exists()


def open_to(request: Any) -> bool:
    """Whether this request may read the journal (unlocked, and for this browser)."""
    if not is_unlocked():
        return False
    return _token is None or request.session.get(SESSION_KEY) == _token


def bind(request: Any) -> None:
    """Tie the unlocked journal to this browser (a new token on each lock cycle)."""
    global _token
    with _state_lock:
        if _token is None:
            _token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = _token


def touch() -> None:
    global _last_seen
    _last_seen = time.monotonic()


def idle_seconds() -> float:
    return time.monotonic() - _last_seen


def lock_if_idle() -> bool:
    if is_unlocked() and settings.VAULT_IDLE_MINUTES > 0 and idle_seconds() > settings.VAULT_IDLE_MINUTES * 60:
        lock()
        return True
    return False


def lock_if_moved() -> bool:
    """Lock when journal.db was removed or replaced behind this process's back (by hand or by another
    tool): its open connections would go on acknowledging saves into a file nobody reads again."""
    if _opened_file is None or not is_unlocked():
        return False
    try:
        now = os.stat(store.journal_path())
        same = (now.st_dev, now.st_ino) == _opened_file
    except FileNotFoundError:
        same = False
    if not same:
        log.warning("journal.db was moved or replaced while open; locked")
        lock()
    return not same


def lock() -> None:
    """Forget the key and close every connection that used it."""
    global _token, _opened_file
    from django.db import connections

    from afterglow.vault.backend.base import close_every_connection

    with _state_lock:
        _token = None
        _opened_file = None
    keyring.forget()
    unchanged.forget()
    connections.close_all()
    close_every_connection()


# --- unlocking -------------------------------------------------------------


def unlock(passphrase: str, *, migrate: bool = True) -> None:
    tidy.at_start()
    data_key = keyfile.load().open_with_passphrase(passphrase)
    open_journal(data_key, migrate=migrate)


def open_journal(data_key: bytes, *, migrate: bool = True) -> None:
    """Take a data key into use: encrypt a pre-vault journal, check the key fits, migrate."""
    if keyfile.exists() and not store.journal_path().exists():
        # Opening it would make a new, empty journal.db, and backup rotation would then push out the real one.
        raise JournalMissing(backup.missing_journal_message())
    with store.friendly_io():
        if store.is_plain(store.journal_path()):
            # Encrypting swaps journal.db for a new file: not under another process that has it open.
            with claim.alone(CONVERT_IN_USE):
                store.encrypt_in_place(data_key)
        _check_key_fits(data_key)
    keyring.remember(data_key)
    _remember_file()
    touch()
    # CLI verbs skip the full migrate (it costs a quarter of a second) unless Afterglow was
    # upgraded since the journal last saw a migration: then they take it in first, like `serve`.
    if migrate or schema_behind():
        with store.friendly_io():
            call_command("migrate", verbosity=0, interactive=False)


def _remember_file() -> None:
    global _opened_file
    with store.friendly_io():
        found = os.stat(store.journal_path()) if store.journal_path().exists() else None
    _opened_file = (found.st_dev, found.st_ino) if found else None


def schema_behind() -> bool:
    """Whether any of Afterglow's own migration files has not been applied to the journal yet.

    A quick look (the file names against `django_migrations`, nothing imported); Afterglow's
    apps have no squashed migrations, so each file is one row once applied.
    """
    from django.apps import apps
    from django.db import connection

    on_disk = {
        (config.label, path.stem)
        for config in apps.get_app_configs()
        if config.name.startswith("afterglow.")
        for path in (Path(config.path) / "migrations").glob("[0-9]*.py")
    }
    with store.friendly_io(), connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return True
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = {(app, name) for app, name in cursor.fetchall()}
    return bool(on_disk - applied)


def _check_key_fits(data_key: bytes) -> None:
    path = store.journal_path()
    if not path.exists():
        return
    conn = store.connect(path, data_key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:
        if "not a database" in str(exc):
            raise KeysMissing(
                "keys.json does not belong to this journal.db (perhaps one of them was copied from elsewhere). "
                "Nothing was changed."
            ) from exc
        raise
    finally:
        conn.close()


def unlock_for_cli(*, migrate: bool = False) -> None:
    """Every journal CLI verb calls this first: AFTERGLOW_PASSPHRASE, else a prompt on a terminal."""
    if settings.CLINIC or is_unlocked():
        return
    if note := tidy.at_start():
        sys.stderr.write(f"afterglow: {note}\n")
    if not is_set_up():
        if store.is_plain(store.journal_path()):
            raise NotSetUp(
                "This journal is not encrypted yet. Run `afterglow init` to protect it with a passphrase; nothing will be lost."
            )
        keyfile.load()  # raises the "no journal yet" message
    unlock(ask_passphrase(), migrate=migrate)


def ask_passphrase(prompt: str = "Passphrase: ") -> str:
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise VaultError(f"The journal is locked. Set {PASSPHRASE_ENV} or run this in a terminal to type the passphrase.")
    return getpass.getpass(prompt)


def ask_new_passphrase(env_name: str = PASSPHRASE_ENV) -> str:
    """A new passphrase: from `env_name`, else typed twice on a terminal."""
    from_env = os.environ.get(env_name)
    if from_env:
        check_new_passphrase(from_env, from_env)
        return from_env
    if not sys.stdin.isatty():
        raise VaultError(f"Set {env_name} or run this in a terminal to choose a passphrase.")
    first = getpass.getpass("New passphrase: ")
    check_new_passphrase(first, getpass.getpass("The same passphrase again: "))
    return first


def check_new_passphrase(first: str, second: str) -> None:
    if len(first) < MIN_PASSPHRASE:
        raise VaultError(f"Please choose a passphrase of at least {MIN_PASSPHRASE} characters; a few plain words work well.")
    if first != second:
        raise VaultError("The two passphrases are not the same. Please type them again.")


# --- creating, changing, recovering -------------------------------------------


def create_journal(passphrase: str) -> str:
    """keys.json + encrypted journal.db (an existing plain journal is converted). Returns the recovery key."""
    if is_set_up():
        raise VaultError(f"A journal already exists in {store.home()}; nothing was changed.")
    if store.journal_path().exists() and not store.is_plain(store.journal_path()):
        raise KeysMissing(keyfile._missing_message())
    store.ensure_writable(store.home())
    tidy.at_start()
    if store.is_plain(store.journal_path()):
        with claim.alone(CONVERT_IN_USE):
            pass  # refuse before keys.json is written and a recovery key is made that nobody would see
    keys, data_key, recovery = keyfile.create(passphrase)
    with store.friendly_io():
        fresh = _materialise(data_key)
        # keys.json before the journal's own name: stopped half-way, the next start finishes
        # (renames the new journal, or converts the plain one) rather than leaving keys without a journal.
        keyfile.save(keys)
        store.step("init-keys-written")
        if fresh is not None:
            os.replace(fresh, store.journal_path())
            store.fsync_dir(store.home())
    open_journal(data_key)
    from afterglow.journal.access import local_patient

    local_patient()
    return recovery


def _materialise(data_key: bytes) -> Path | None:
    """A new empty encrypted journal under a temporary name (None when a plain journal is there to convert)."""
    if store.journal_path().exists():
        return None
    path = store.home() / tidy.CREATING
    path.unlink(missing_ok=True)
    conn = store.connect(path, data_key)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    os.chmod(path, 0o600)
    return path


def change_passphrase(old: str, new: str) -> None:
    tidy.at_start()  # an interrupted restore first, so the keys changed are the journal's own
    keys = keyfile.load()
    data_key = keys.open_with_passphrase(old)
    keyfile.save(keys.with_passphrase(data_key, new))


def recover(recovery_text: str, new: str, *, migrate: bool = True) -> None:
    tidy.at_start()
    keys = keyfile.load()
    data_key = keys.open_with_recovery(recovery_text)
    keyfile.save(keys.with_passphrase(data_key, new))
    open_journal(data_key, migrate=migrate)


def unlock_for_serve() -> None:
    """`afterglow serve`: tidy the data folder and hold the journal open for as long as it runs;
    start unlocked (and migrated) when AFTERGLOW_PASSPHRASE is set."""
    tidy.at_start()
    if is_set_up() and os.environ.get(PASSPHRASE_ENV):
        unlock(os.environ[PASSPHRASE_ENV])
