"""Unlocking and locking the journal in this process.

The data key lives only in memory (`keyring`). In the local web app an
unlocked journal is bound to each browser's signed session cookie by a random
token: a browser gets it by typing the passphrase, or, when `serve` started
unlocked from `AFTERGLOW_PASSPHRASE`, by opening the one-time start link that
`serve` prints (and opens). Another account on the same computer sees neither.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
import secrets
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management import call_command

from afterglow import modes
from afterglow.preferences import idle
from afterglow.preferences import store as preferences
from afterglow.vault import backup, claim, crypto, keyfile, keyring, rekey, store, tidy
from afterglow.vault.errors import JournalMissing, KeysMissing, Locked, NotSetUp, VaultError
from afterglow.web import messages, unchanged

log = logging.getLogger("afterglow.vault")
PASSPHRASE_ENV = "AFTERGLOW_PASSPHRASE"
SESSION_KEY = "vault_token"
MIN_PASSPHRASE = 8
REKEY_IN_USE = (
    "Another Afterglow process has this journal open (a server or a command); stop it, then make the new key again. "
    "Nothing was changed."
)
CONVERT_IN_USE = (
    "Another Afterglow process has this journal open; stop it, then set the passphrase again so the journal "
    "can be encrypted. Nothing was changed."
)

_state_lock = threading.Lock()
_token: str | None = None
_start_secret: str | None = None
_last_seen = time.monotonic()
_unlocked_keys: tuple[str, int, int, int] | None = None  # keys.json as it was when the key was taken into use
_opened_file: tuple[int, int] | None = None  # journal.db as it was when the key was taken into use


# --- state -----------------------------------------------------------------


def current_key() -> bytes | None:
    return keyring.current_key()


def is_unlocked() -> bool:
    return keyring.current_key() is not None


def is_set_up() -> bool:
    return keyfile.exists()


def open_to(request: Any) -> bool:
    """Whether this request may read the journal (unlocked, and for this browser)."""
    if not is_unlocked():
        return False
    # Every unlock path sets a token first (open_journal); only a key put into memory directly,
    # as the unit tests' fixture does, has none.
    return _token is None or request.session.get(SESSION_KEY) == _token


def bind(request: Any) -> None:
    """Tie the unlocked journal to this browser (a new token on each lock cycle)."""
    global _token
    with _state_lock:
        if _token is None:
            _token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = _token
    from afterglow.vault.guesses import trust

    trust(request)


def issue_start_link_secret() -> str:
    """A secret for one browser to open the journal that `serve` unlocked from the environment."""
    global _start_secret, _token
    with _state_lock:
        if _token is None:
            _token = secrets.token_urlsafe(32)
        _start_secret = secrets.token_urlsafe(32)
        return _start_secret


def redeem_start_secret(request: Any, secret: str) -> bool:
    """Open the journal to this browser if `secret` is the start link's; it works once."""
    global _start_secret
    with _state_lock:
        expected, ok = _start_secret, False
        if expected is not None and is_unlocked() and secrets.compare_digest(expected.encode(), secret.encode()):
            _start_secret, ok = None, True
    if ok:
        bind(request)
    return ok


def started_unlocked() -> bool:
    """Unlocked, but not for this browser: it needs the start link or the passphrase."""
    return is_unlocked() and _token is not None


def touch() -> None:
    global _last_seen
    _last_seen = time.monotonic()


def idle_seconds() -> float:
    return time.monotonic() - _last_seen


def idle_minutes() -> int:
    """Minutes before the idle lock: the choice made in Settings (config.toml), else AFTERGLOW_IDLE_MINUTES."""
    return idle.minutes(preferences.local())


def lock_if_idle() -> bool:
    minutes = idle_minutes()
    if is_unlocked() and minutes > 0 and idle_seconds() > minutes * 60:
        lock()
        return True
    return False


def _keys_stamp() -> tuple[str, int, int, int] | None:
    path = store.keys_path()
    try:
        info = path.stat()
    except OSError:
        return None
    return (str(path), info.st_mtime_ns, info.st_size, info.st_ino)


def lock_if_rekeyed() -> bool:
    """Lock when keys.json changed since this process unlocked and its key no longer opens the journal.

    A re-key made in a terminal while `serve` runs gives the file a new key: the server's old key
    would fail on every page. Locking instead asks for the new passphrase, and open pages keep
    their drafts as after any lock. A passphrase change (same key) only costs one quick check.
    """
    global _unlocked_keys
    key = keyring.current_key()
    # Nothing to compare with unless open_journal took the key into use and noted keys.json then.
    if key is None or not modes.current().unlocks_in_process or _unlocked_keys is None:
        return False
    stamp = _keys_stamp()
    if stamp == _unlocked_keys:
        return False
    journal = store.journal_path()
    if not journal.exists() or store.opens(journal, key):
        _unlocked_keys = stamp
        return False
    lock()
    return True


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
    global _token, _start_secret, _opened_file, _unlocked_keys
    from django.db import connections

    from afterglow.vault.backend.base import close_every_connection

    with _state_lock:
        _token = _start_secret = None
        _opened_file = _unlocked_keys = None
    keyring.forget()
    unchanged.forget()
    messages.forget()
    connections.close_all()
    close_every_connection()


# --- unlocking -------------------------------------------------------------


def unlock(passphrase: str, *, migrate: bool = True) -> None:
    tidy.at_start()
    keys = keyfile.load()
    keks = keyfile.Keks(passphrase)
    opened = keys.opened_by(keks)
    keys, data_key = rekey.settle(keys, opened)
    current = keyring.current_key()
    if current is not None and secrets.compare_digest(current, data_key):
        touch()  # already open here (another browser, or `serve` started unlocked): nothing to redo
    else:
        open_journal(data_key, migrate=migrate)
    if opened.stale:
        _strengthen(keys, data_key, passphrase, keks)


def _strengthen(keys: keyfile.KeyFile, data_key: bytes, passphrase: str, keks: keyfile.Keks) -> None:
    """Re-wrap under today's fixed Argon2id cost and the NFC passphrase: once, the journal untouched.

    keys.json was written with a weaker cost (tuned by timing before, or by an older version), or
    the passphrase opened it only as typed, not in NFC. The backups' keys files come along.
    """
    lock = keyfile.PassphraseLock.new(passphrase, keys.params)
    # A read-only data folder must not stop an unlock; the next unlock tries again.
    with contextlib.suppress(VaultError):
        keyfile.save(keys.locked_by(lock, data_key))
        rekey.rewrap_backups(rekey.by_passphrase(keks), lock)


def open_journal(data_key: bytes, *, migrate: bool = True) -> None:
    """Take a data key into use: encrypt a pre-vault journal, check the key fits, migrate."""
    global _unlocked_keys
    if keyfile.exists() and not store.journal_path().exists():
        # Opening it would make a new, empty journal.db, and backup rotation would then push out the real one.
        raise JournalMissing(backup.missing_journal_message())
    with store.friendly_io():
        if store.is_plain(store.journal_path()):
            # Encrypting swaps journal.db for a new file: not under another process that has it open.
            with claim.alone(CONVERT_IN_USE):
                store.encrypt_in_place(data_key)
        _check_key_fits(data_key)
    global _token
    with _state_lock:
        # A browser must be bound (bind) before it can read: never "open to anyone", even briefly.
        if _token is None:
            _token = secrets.token_urlsafe(32)
    keyring.remember(data_key)
    _unlocked_keys = _keys_stamp()
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
    if not modes.current().unlocks_in_process or is_unlocked():
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
    first, second = crypto.normalise(first), crypto.normalise(second)
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
    modes.local_patient()
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


def change_passphrase(old: str, new: str) -> rekey.Rewrapped:
    """The data key under a new passphrase, in keys.json and in every backup's keys file the old one opens."""
    tidy.at_start()  # an interrupted restore first, so the keys changed are the journal's own
    keys = keyfile.load()
    keks = keyfile.Keks(old)
    keys, data_key = rekey.settle(keys, keys.opened_by(keks))
    lock = keyfile.PassphraseLock.new(new, keys.params)
    keyfile.save(keys.locked_by(lock, data_key))
    return rekey.rewrap_backups(rekey.by_passphrase(keks), lock)


def recover(recovery_text: str, new: str, *, migrate: bool = True) -> None:
    tidy.at_start()
    keys = keyfile.load()
    keys, data_key = rekey.settle(keys, keys.opened_with_recovery(recovery_text))
    lock = keyfile.PassphraseLock.new(new, keys.params)
    keyfile.save(keys.locked_by(lock, data_key))
    rekey.rewrap_backups(rekey.by_recovery(recovery_text), lock)
    open_journal(data_key, migrate=migrate)


def rekey_journal(current: str, new: str) -> tuple[str, rekey.Rewrapped]:
    """A new data key (the journal re-encrypted), a new passphrase and a new recovery key (returned, to show once)."""
    tidy.at_start()
    keys = keyfile.load()
    keks = keyfile.Keks(current)
    keys, old_key = rekey.settle(keys, keys.opened_by(keks))
    with store.friendly_io():
        rekey.require_journal()
        _check_key_fits(old_key)
    was_open = is_unlocked()
    with claim.alone(REKEY_IN_USE):
        lock()  # every connection closes: each page of the file is about to change key
        new_key, recovery, backups = rekey.rekey(keys, old_key, new, rekey.by_passphrase(keks))
    if was_open:
        open_journal(new_key, migrate=False)
    return recovery, backups


# --- the recovery key ----------------------------------------------------------

_confirmed_seen: tuple[tuple[str, int, int, int], bool] | None = None


def recovery_confirmed() -> bool:
    """Whether the person has said they kept the current recovery key (read from keys.json, cached by its stat)."""
    global _confirmed_seen
    stamp = _keys_stamp()
    if stamp is None:
        return True  # no keys.json: the unlock pages explain that, not this gate
    if _confirmed_seen is None or _confirmed_seen[0] != stamp:
        try:
            confirmed = keyfile.load().recovery_confirmed
        except VaultError:
            confirmed = True
        _confirmed_seen = (stamp, confirmed)
    return _confirmed_seen[1]


def confirm_recovery() -> None:
    keys = keyfile.load()
    if not keys.recovery_confirmed:
        keyfile.save(replace(keys, recovery_confirmed=True))


def issue_recovery_key(passphrase: str | None = None) -> tuple[str, rekey.Rewrapped]:
    """A new recovery key for the open journal; the old one stops opening keys.json.

    With the passphrase (Settings), the backups' keys files it opens get the new recovery key too.
    Without it (a key that was never confirmed), only keys.json changes.
    """
    data_key = keyring.current_key()
    if data_key is None:
        raise Locked()
    keys = keyfile.load()
    keks = keyfile.Keks(passphrase) if passphrase is not None else None
    if keks is not None and keys.opened_by(keks).data_key != data_key:
        raise KeysMissing("keys.json no longer belongs to the open journal; lock it and unlock again.")
    raw = crypto.new_recovery_key()
    recovery = keyfile.RecoveryLock.new(raw)
    keyfile.save(keys.with_recovery(recovery, data_key))
    backups = rekey.rewrap_backups(rekey.by_passphrase(keks), recovery=recovery) if keks else rekey.Rewrapped([], [])
    return crypto.format_recovery_key(raw), backups


def unlock_for_serve() -> str | None:
    """`afterglow serve`: start unlocked (and migrated) when AFTERGLOW_PASSPHRASE is set.

    Tidies the data folder and holds the journal open for as long as it runs. Returns the secret
    of the one-time start link (no browser is let in without it).
    """
    tidy.at_start()
    if is_set_up() and os.environ.get(PASSPHRASE_ENV):
        unlock(os.environ[PASSPHRASE_ENV])
        return issue_start_link_secret()
    return None
