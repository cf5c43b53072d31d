"""Changing what opens the journal: the backups' keys files, a real re-key, a new recovery key.

A passphrase change re-wraps the data key only, so every backup made before it was still
opened by the old passphrase through its `<name>.keys.json`. `rewrap_backups` puts the
backups' keys files under the same new secret as keys.json (each keeps its own data key).

A re-key gives the journal a new data key (`PRAGMA rekey` rewrites every page), a new
passphrase and a new recovery key, for when a passphrase or a copy of keys.json may be known
to someone. It is done in three steps that each leave an openable journal:
  1. keys.json (atomically) gets the new data key and, under "previous", the old one, both
     wrapped only by the new passphrase and the new recovery key;
  2. `PRAGMA rekey` (one SQLite transaction: all pages under the new key, or none);
  3. keys.json again, without "previous".
After a stop between 1 and 3, the next unlock sees "previous" and `settle` finishes the job.
Old backups keep their old data key (re-encrypting them all would take minutes); their keys
files are re-wrapped under the new passphrase and recovery key. See docs/privacy.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from afterglow.vault import crypto, keyfile, store
from afterglow.vault.errors import KeysMissing, VaultError


@dataclass(frozen=True)
class Rewrapped:
    done: list[Path]
    left: list[Path]  # keys files the old secret does not open (an older passphrase, another journal, damaged)

    def sentences(self, *, rekeyed: bool) -> list[str]:
        """What became of the backups, for the person (CLI lines, or one web message)."""
        said = []
        if self.done:
            many = len(self.done) > 1
            verb = "open" if many else "opens"
            said.append(f"{len(self.done)} backup{'s' if many else ''} in the backups folder now {verb} with the new passphrase.")
            if rekeyed:
                said.append(
                    "Backups keep their old encryption key: a copy taken earlier, with its keys file, opens as it did then."
                )
        if self.left:
            names = ", ".join(p.name for p in self.left[:3]) + (" …" if len(self.left) > 3 else "")
            said.append(f"Left as they are (the old passphrase does not open them): {names}")
        return said


def backup_keys_files() -> list[Path]:
    folder = store.backups_dir()
    return sorted(folder.glob("*.keys.json")) if folder.is_dir() else []


def rewrap_backups(
    open_one: Callable[[keyfile.KeyFile], bytes | None],
    lock: keyfile.PassphraseLock | None = None,
    recovery: keyfile.RecoveryLock | None = None,
) -> Rewrapped:
    """Put every backup's keys file that `open_one` opens under `lock` and/or `recovery` (atomically, one by one)."""
    done: list[Path] = []
    left: list[Path] = []
    for path in backup_keys_files():
        try:
            keys = keyfile.load(path)
            data_key = open_one(keys)
        except VaultError:
            data_key = None
        if data_key is None:
            left.append(path)
            continue
        if lock is not None:
            keys = keys.locked_by(lock, data_key)
        if recovery is not None:
            keys = replace(keys.with_recovery(recovery, data_key), recovery_confirmed=keys.recovery_confirmed)
        keyfile.save(keys, path)
        done.append(path)
    return Rewrapped(done, left)


def by_passphrase(keks: keyfile.Keks) -> Callable[[keyfile.KeyFile], bytes | None]:
    """Opens a keys file with a passphrase, deriving once per distinct salt (backups share keys.json's)."""

    def open_one(keys: keyfile.KeyFile) -> bytes | None:
        try:
            return keys.opened_by(keks).data_key
        except VaultError:
            return None

    return open_one


def by_recovery(recovery_text: str) -> Callable[[keyfile.KeyFile], bytes | None]:
    def open_one(keys: keyfile.KeyFile) -> bytes | None:
        try:
            return keys.open_with_recovery(recovery_text)
        except VaultError:
            return None

    return open_one


# --- the journal's own key ------------------------------------------------------


def settle(keys: keyfile.KeyFile, opened: keyfile.Opened) -> tuple[keyfile.KeyFile, bytes]:
    """Finish a re-key that stopped half-way; the keys file and data key to go on with."""
    if keys.previous is None:
        return keys, opened.data_key
    journal = store.journal_path()
    with store.friendly_io():
        if journal.exists() and not store.opens(journal, opened.data_key):
            if opened.previous_key is None or not store.opens(journal, opened.previous_key):
                raise KeysMissing("keys.json does not belong to this journal.db. Nothing was changed.")
            _rekey_file(journal, opened.previous_key, opened.data_key)
        settled = replace(keys, previous=None)
        keyfile.save(settled)
    return settled, opened.data_key


def _rekey_file(path: Path, old: bytes, new: bytes) -> None:
    conn = store.connect(path, old)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute(f"PRAGMA rekey = \"x'{new.hex()}'\"")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    if not store.opens(path, new):
        raise KeysMissing("The journal did not open with its new key after re-keying; please run the re-key again.")


def require_journal() -> Path:
    journal = store.journal_path()
    if not journal.is_file():
        raise KeysMissing(f"There is no journal.db in {journal.parent} to give a new key; nothing was changed.")
    return journal


def rekey(
    keys: keyfile.KeyFile, old_key: bytes, new_passphrase: str, open_backup: Callable[[keyfile.KeyFile], bytes | None]
) -> tuple[bytes, str, Rewrapped]:
    """Give the journal a new data key, passphrase and recovery key.

    The caller has closed every connection to the journal and checked `old_key` opens it;
    `open_backup` opens a backup's keys file with the secret the caller checked.
    Returns the new data key, the recovery key to show, and what became of the backups' keys.
    """
    journal = require_journal()
    new_key = os.urandom(crypto.KEY_BYTES)
    raw_recovery = crypto.new_recovery_key()
    lock = keyfile.PassphraseLock.new(new_passphrase, keys.params)
    recovery = keyfile.RecoveryLock.new(raw_recovery)
    pending = keys.locked_by(lock, new_key, previous_key=old_key).with_recovery(recovery, new_key, previous_key=old_key)
    keyfile.save(pending)
    with store.friendly_io():
        _rekey_file(journal, old_key, new_key)
    keyfile.save(replace(pending, previous=None))
    old_backups = rewrap_backups(open_backup, lock, recovery)
    return new_key, crypto.format_recovery_key(raw_recovery), old_backups
