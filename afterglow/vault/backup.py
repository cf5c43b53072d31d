"""Encrypted backups and restore.

A backup is a consistent copy made with SQLite's online backup API from a
keyed connection into a file keyed with the same data key, so it has the
very format of journal.db. The keys.json of that moment is written next to
it (`<name>.keys.json`), so a backup can be restored on a new machine.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

from afterglow.vault import keyfile, keyring, store
from afterglow.vault.errors import BadBackup, Locked, WrongPassphrase

NAME_RE = re.compile(r"^journal-\d{4}-\d{2}-\d{2}-\d{6}\.db$")


def keys_beside(db: Path) -> Path:
    return db.with_name(db.name.removesuffix(".db") + ".keys.json")


def default_name(now: datetime | None = None) -> str:
    return f"journal-{(now or datetime.now()).strftime('%Y-%m-%d-%H%M%S')}.db"


def make_backup(dest: Path | None = None) -> Path:
    key = keyring.current_key()
    if key is None:
        raise Locked()
    dest = dest or store.backups_dir() / default_name()
    if dest.is_dir():
        dest = dest / default_name()
    partial = dest.with_name(dest.name + ".partial")
    with store.friendly_io():
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        _copy_online(key, partial)
        store.check(partial, key)
        os.replace(partial, dest)
        store.fsync_dir(dest.parent)
        store.atomic_write(keys_beside(dest), store.keys_path().read_bytes())
        if dest.parent == store.backups_dir():
            prune(settings.VAULT_BACKUPS_KEEP)
    return dest


def _copy_online(key: bytes, dest: Path) -> None:
    source = store.connect(store.journal_path(), key)
    target = store.connect(dest, key)
    try:
        os.chmod(dest, 0o600)
        source.backup(target)
        # A backup is one self-contained file: no WAL beside it.
        target.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        target.close()
        dest.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    target.close()


def listing() -> list[Path]:
    folder = store.backups_dir()
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if NAME_RE.match(p.name)), reverse=True)


def prune(keep: int) -> list[Path]:
    removed = listing()[max(keep, 1) :]
    for old in removed:
        old.unlink(missing_ok=True)
        keys_beside(old).unlink(missing_ok=True)
    return removed


def latest_age_seconds() -> float | None:
    backups = listing()
    if not backups:
        return None
    return datetime.now().timestamp() - backups[0].stat().st_mtime


# --- restore -----------------------------------------------------------------


def restore(source: Path, passphrase: str) -> Path:
    """Replace journal.db with a verified backup; returns the safety copy of the journal it replaced.

    Nothing about the live journal changes until the backup has opened with
    the person's passphrase and passed integrity_check.
    """
    staged = store.home() / "journal.db.restoring"
    with store.friendly_io():
        if not source.is_file():
            raise BadBackup(f"There is no backup file at {source}.")
        store.ensure_writable(store.home())
        store.copy_file(source, staged)
        try:
            key, keys_file = _verified_key(staged, source, passphrase)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
        safety = _swap_in(staged, key)
        if keys_file is not None:
            store.atomic_write(store.keys_path(), keys_file.read_bytes())
    return safety


def _verified_key(staged: Path, source: Path, passphrase: str) -> tuple[bytes, Path | None]:
    """The data key that opens the staged copy, and the keys file to adopt if it is not ours."""
    candidates: list[tuple[Path, Path | None]] = []
    if keyfile.exists():
        candidates.append((store.keys_path(), None))
    beside = keys_beside(source)
    if beside.is_file():
        candidates.append((beside, beside))
    if not candidates:
        raise BadBackup(f"No keys.json was found for {source.name}; put its .keys.json file next to it.")
    opened = False
    problem: BadBackup | None = None
    for path, adopt in candidates:
        try:
            key = keyfile.load(path).open_with_passphrase(passphrase)
        except (WrongPassphrase, BadBackup):
            continue
        except Exception:  # a damaged .keys.json beside the backup is just not a candidate
            continue
        opened = True
        try:
            store.check(staged, key)
        except BadBackup as exc:
            problem = problem or exc
            continue
        return key, adopt
    if not opened:
        raise WrongPassphrase("That passphrase opens neither this journal nor the keys beside this backup. Nothing was changed.")
    assert problem is not None
    raise BadBackup(f"{problem} The journal was not changed.")


def _swap_in(staged: Path, key: bytes) -> Path:
    live = store.journal_path()
    safety = store.backups_dir() / f"before-restore-{datetime.now().strftime('%Y-%m-%d-%H%M%S')}.db"
    safety.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    keyring.forget()
    if live.exists():
        old_key = key if _opens(live, key) else None
        if old_key is not None:
            store.checkpoint(live, old_key)
        store.copy_file(live, safety)
        for sidecar in store.sidecars(live):
            if sidecar.exists() and sidecar.name.endswith("-wal"):
                store.copy_file(sidecar, safety.with_name(safety.name + "-wal"))
        if store.keys_path().exists():
            store.copy_file(store.keys_path(), keys_beside(safety))
    for sidecar in store.sidecars(live):
        sidecar.unlink(missing_ok=True)
    os.replace(staged, live)
    store.fsync_dir(live.parent)
    return safety


def _opens(path: Path, key: bytes) -> bool:
    conn = store.connect(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except Exception:
        return False
    finally:
        conn.close()
