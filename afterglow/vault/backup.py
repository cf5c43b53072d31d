"""Encrypted backups and restore.

A backup is a consistent copy of journal.db's encrypted pages as they lie on
the disk, taken under a read transaction with its WAL folded in
(`_copy_snapshot`), so it has the very format of journal.db and the same key. The keys.json of that moment is written next to
it (`<name>.keys.json`), so a backup can be restored on a new machine.

Files appear whole or not at all: a backup is copied under a hidden
`.partial` name, its keys file is put in place first and the backup itself
last, so a backup that can be seen always has its keys.

A restore swaps two files, journal.db and keys.json. Everything it needs is
prepared beside them first (`journal.db.restoring`, `keys.json.restoring`,
the safety copy); then `restore.json` records the swap, and only then are
the files moved into place. A restore stopped after `restore.json` exists is
finished by the next Afterglow process to start (`finish_interrupted`);
one stopped before it leaves the journal as it was (`tidy` removes the rest).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

from afterglow.vault import claim, keyfile, keyring, store
from afterglow.vault.errors import BadBackup, BadDestination, JournalMissing, Locked, WrongPassphrase

NAME_RE = re.compile(r"^journal-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?\.db$")
INTENT = "restore.json"
STAGED_JOURNAL = "journal.db.restoring"
STAGED_KEYS = "keys.json.restoring"
IN_USE = (
    "Afterglow has this journal open in another window or program (is `afterglow serve` running?). "
    "Stop it, then restore again; nothing was changed."
)


def keys_beside(db: Path) -> Path:
    return db.with_name(db.name.removesuffix(".db") + ".keys.json")


def default_name(now: datetime | None = None) -> str:
    return f"journal-{(now or datetime.now()).strftime('%Y-%m-%d-%H%M%S')}.db"


def make_backup(dest: Path | None = None, *, force: bool = False) -> Path:
    """A verified backup at `dest` (a file or a folder; default backups/), its keys beside it."""
    key = keyring.current_key()
    if key is None:
        raise Locked()
    with store.friendly_io():
        dest = _free_name(store.backups_dir() / default_name()) if dest is None else destination(dest, force=force)
        partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        _claim_partial(partial)
        try:
            _copy_snapshot(key, partial)
            store.check(partial, key)  # every page of the finished copy, as it will be kept (`pagecheck`)
            store.step("backup-copied")
            store.atomic_write(keys_beside(dest), store.keys_path().read_bytes())
            store.step("backup-keys-written")
            _publish(partial, dest, replace=force)
        finally:
            partial.unlink(missing_ok=True)
        store.step("backup-written")
        if dest.parent == store.backups_dir():
            prune(settings.VAULT_BACKUPS_KEEP, key)
    return dest


def destination(dest: Path, *, force: bool = False) -> Path:
    """Where `backup -o` may write: a new file (with force, an existing regular one) in an
    existing folder, outside the data folder (a new file in backups/ is fine)."""
    if dest.is_dir():
        dest = dest / default_name()
    if dest.parent.resolve() == store.backups_dir().resolve():
        dest.parent.mkdir(parents=True, exist_ok=True)  # the data folder's own backups/
    if not dest.parent.is_dir():
        raise BadDestination(f"There is no folder {dest.parent}; create it first or choose another place for the backup.")
    for target in (dest, keys_beside(dest)):
        _check_target(target, force=force)
    return dest


def _claim_partial(partial: Path) -> None:
    """Make the copy's file first, so a folder that takes no files (/proc, a read-only disk) is named as such."""
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise BadDestination(
            f"Afterglow cannot make a file in {partial.parent} ({exc.strerror.lower() if exc.strerror else 'refused'}); "
            "choose a folder of your own for the backup."
        ) from None


def _check_target(target: Path, *, force: bool) -> None:
    landing = target.parent.resolve() / target.name
    home = store.home().resolve()
    present = os.path.lexists(target)
    in_data = landing.is_relative_to(home) or (present and target.resolve().is_relative_to(home))
    in_backups = landing.parent == home / "backups"
    if in_data and (present or not in_backups):
        raise BadDestination(
            f"{target} is inside Afterglow's data folder, where a backup must never write over anything. "
            "Choose a place outside it, or leave out -o to add the backup to backups/."
        )
    if not present:
        return
    mode = os.lstat(target).st_mode
    if not (stat.S_ISREG(mode) or (stat.S_ISLNK(mode) and target.is_file())):
        raise BadDestination(f"{target} is not a regular file (a device, a pipe or a folder); backups go only to files.")
    if not force:
        raise BadDestination(f"{target} already exists and Afterglow will not write over it; choose a new name, or add --force.")


def _publish(partial: Path, dest: Path, *, replace: bool) -> None:
    """Move the finished copy to its name; without `replace`, never over a file that appeared meanwhile."""
    if replace:
        os.replace(partial, dest)
    else:
        try:
            os.link(partial, dest)  # fails if dest exists, unlike a rename
        except FileExistsError:
            raise BadDestination(f"{dest} appeared while the backup was being made; nothing was written over it.") from None
        except OSError:  # a file system without hard links
            if os.path.lexists(dest):
                raise BadDestination(f"{dest} appeared while the backup was being made; nothing was written over it.") from None
            os.replace(partial, dest)
    store.fsync_dir(dest.parent)


def _copy_snapshot(key: bytes, dest: Path) -> None:
    """The journal as of one moment, copied as it lies on the disk: its pages stay encrypted as they are.

    A read transaction on the live journal holds that moment while the file and its WAL are copied.
    In WAL mode nothing a reader still needs leaves the WAL while it reads, and the main file changes
    only by a checkpoint copying WAL frames into it, so the copied main file with the copied WAL
    holds every commit up to that moment (a frame half-written at the end fails its checksum and is
    left out when the copy is opened). The copy's WAL is then folded in, so a backup is one file.
    SQLite's online backup API would decrypt and encrypt every page again to write the same bytes.
    """
    live = store.journal_path()
    if not live.is_file():
        raise JournalMissing(missing_journal_message())
    wal = live.with_name(live.name + "-wal")
    copied_wal = dest.with_name(dest.name + "-wal")
    try:
        reader = store.connect(live, key)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
            _copy_private(live, dest)
            if wal.exists():
                _copy_private(wal, copied_wal)
        finally:
            reader.close()
        copy = store.connect(dest, key)
        try:
            copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        _fsync(dest)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    finally:
        for sidecar in store.sidecars(dest):
            sidecar.unlink(missing_ok=True)


def _copy_private(source: Path, dest: Path) -> None:
    """A byte-for-byte copy readable by the owner alone from its first byte."""
    os.close(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(dest, 0o600)
    shutil.copyfile(source, dest)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def missing_journal_message() -> str:
    return (
        f"journal.db is missing from {store.home()}, although its keys.json is there. Afterglow will not start an "
        "empty journal in its place: put journal.db back, or restore a backup with `afterglow restore PATH`."
    )


def listing() -> list[Path]:
    folder = store.backups_dir()
    if not folder.is_dir():
        return []
    # Newest first; two made in the same second are told apart by -2, -3 … after the time.
    found = (p for p in folder.iterdir() if NAME_RE.match(p.name))
    return sorted(found, key=lambda p: (p.name[:25], len(p.name), p.name), reverse=True)


def prune(keep: int, key: bytes | None = None) -> list[Path]:
    """Keep the newest `keep` backups of this journal; backups of any other journal are never touched.

    A backup belongs to this journal when this journal's data key opens it. One of ours
    that lost its keys file gets a copy of keys.json, so it can be restored elsewhere.
    """
    key = key or keyring.current_key()
    if key is None:
        return []
    ours = [p for p in listing() if _opens(p, key)]
    for backup in ours:
        if not keys_beside(backup).exists():
            store.atomic_write(keys_beside(backup), store.keys_path().read_bytes())
    removed = ours[max(keep, 1) :]
    for old in removed:
        old.unlink(missing_ok=True)
        keys_beside(old).unlink(missing_ok=True)
    return removed


def latest_age_seconds() -> float | None:
    """How old the newest backup of this journal is (another journal's newer one must not stop the daily backup)."""
    key = keyring.current_key()
    for backup in listing():
        if key is None or _opens(backup, key):
            return datetime.now().timestamp() - backup.stat().st_mtime
    return None


# --- restore -----------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    key: bytes
    adopt: Path | None  # the keys file to take over, when it is not the live keys.json
    other: keyfile.KeyFile | None  # the backup's keys, when it belongs to another journal


def restore(source: Path, passphrase: str, *, other_journal: bool = False) -> Path | None:
    """Replace journal.db with a verified backup; returns the safety copy of the journal it replaced (None if there was none).

    Nothing about the live journal changes until the backup has opened with
    the person's passphrase and passed `store.check`; a backup of another
    journal is taken only when `other_journal` says the person means it.
    """
    home = store.home()
    with store.friendly_io():
        if not source.is_file():
            raise BadBackup(f"There is no backup file at {source}.")
        store.ensure_writable(home)
        with claim.alone(IN_USE):
            finish_interrupted()
            try:
                # The copy (disk) and the key derivation (processor) take about as long as each other
                # and need different things, so they run side by side; the pool waits for the copy.
                # The staged copy's pages are then checked as they were written, on both cores
                # (`store.check`). Deriving the key first, to check each page in the buffer that
                # copies it, was slower: the derivation then adds its whole time (bench/README.md).
                opened = _opened_keys(source, passphrase)
                with ThreadPoolExecutor(max_workers=1) as pool:
                    copying = pool.submit(store.copy_file, source, home / STAGED_JOURNAL)
                    first = next(opened)  # only the first key is derived ahead: most restores need no other
                    copying.result()
                verified = _verified(home / STAGED_JOURNAL, itertools.chain([first], opened))
                if verified.other is not None and not other_journal:
                    raise BadBackup(_other_journal_message(source, verified.other))
                if verified.adopt is not None:
                    store.atomic_write(home / STAGED_KEYS, verified.adopt.read_bytes())
                store.step("restore-staged")
                safety = _safety_copy(verified.key)
                store.step("restore-safety-made")
            except BaseException:
                (home / STAGED_JOURNAL).unlink(missing_ok=True)
                (home / STAGED_KEYS).unlink(missing_ok=True)
                raise
            intent = {
                "journal": STAGED_JOURNAL,
                "keys": STAGED_KEYS if verified.adopt else None,
                "safety": safety.name if safety else None,
            }
            store.atomic_write(home / INTENT, json.dumps(intent).encode())
            store.step("restore-intent-written")
            _apply(intent)
    return safety


def _other_journal_message(source: Path, theirs: keyfile.KeyFile) -> str:
    made = f", created {theirs.created_at[:10]}" if theirs.created_at else ""
    return (
        f"{source.name} is a backup of another journal (journal {theirs.journal_id}{made}), not of this one. "
        "Restoring it would put that journal in this one's place (this one would be kept as a safety copy). "
        "If that is what you want, run the restore again with --other-journal. Nothing was changed."
    )


def finish_interrupted() -> str | None:
    """Complete a restore that was stopped after it recorded its swap; the safety copy's name, if there was one."""
    path = store.home() / INTENT
    if not path.exists():
        return None
    with store.friendly_io():
        intent = json.loads(path.read_bytes())
        _apply(intent)
    return str(intent.get("safety") or "")


def _apply(intent: dict[str, str | None]) -> None:
    """Move the staged journal, then its keys, into place; each move is done at most once, so this can be repeated."""
    home, live = store.home(), store.journal_path()
    staged = home / str(intent["journal"])
    if staged.exists():
        for sidecar in store.sidecars(live):
            sidecar.unlink(missing_ok=True)
        os.replace(staged, live)
        store.fsync_dir(home)
    store.step("restore-journal-swapped")
    keys = home / str(intent["keys"]) if intent.get("keys") else None
    if keys is not None and keys.exists():
        os.replace(keys, store.keys_path())
        store.fsync_dir(home)
    store.step("restore-keys-swapped")
    (home / INTENT).unlink(missing_ok=True)
    store.fsync_dir(home)


def _opened_keys(source: Path, passphrase: str) -> Iterator[tuple[bytes, keyfile.KeyFile, Path | None]]:
    """Each data key the passphrase opens, derived when asked for: this journal's keys.json, then the
    keys beside the backup (to adopt). Raises WrongPassphrase when it opens neither."""
    candidates: list[tuple[Path, Path | None]] = []
    if keyfile.exists():
        candidates.append((store.keys_path(), None))
    beside = keys_beside(source)
    if beside.is_file():
        candidates.append((beside, beside))
    if not candidates:
        raise BadBackup(f"No keys.json was found for {source.name}; put its .keys.json file next to it.")
    opened = 0
    for path, adopt in candidates:
        try:
            keys = keyfile.load(path)
            key = keys.open_with_passphrase(passphrase)
        except Exception:  # a wrong passphrase, or a damaged .keys.json beside the backup: not a candidate
            continue
        opened += 1
        yield key, keys, adopt
    if not opened:
        raise WrongPassphrase("That passphrase opens neither this journal nor the keys beside this backup. Nothing was changed.")


def _verified(staged: Path, opened: Iterator[tuple[bytes, keyfile.KeyFile, Path | None]]) -> Verified:
    """The data key that opens the staged copy, the keys file to adopt if it is not ours, and whose journal it is."""
    problem: BadBackup | None = None
    for key, keys, adopt in opened:
        try:
            store.check(staged, key)
        except BadBackup as exc:
            problem = problem or exc
            continue
        return Verified(key, adopt, None if adopt is None or _same_journal(key, keys) else keys)
    assert problem is not None
    raise BadBackup(f"{problem} The journal was not changed.")


def _same_journal(key: bytes, theirs: keyfile.KeyFile) -> bool:
    """Whether a backup opened by `key` (with keys `theirs`) is of the live journal, or there is no live journal to lose."""
    live = store.journal_path()
    if live.is_file():
        return _opens(live, key)
    if not keyfile.exists():
        return True  # a new computer: nothing is replaced
    try:
        return keyfile.load().journal_id == theirs.journal_id
    except Exception:
        return False


def _safety_copy(key: bytes) -> Path | None:
    """Copy the live journal (whole: its WAL folded in, or kept beside it) and its keys into backups/."""
    live = store.journal_path()
    connections.close_all()
    keyring.forget()
    if not live.exists():
        return None
    safety = _free_name(store.backups_dir() / f"before-restore-{datetime.now().strftime('%Y-%m-%d-%H%M%S')}.db")
    if _opens(live, key):
        store.checkpoint(live, key)
    if store.keys_path().exists():
        store.atomic_write(keys_beside(safety), store.keys_path().read_bytes())
    wal = live.with_name(live.name + "-wal")
    if wal.exists():
        store.copy_file(wal, safety.with_name(safety.name + "-wal"))
    partial = safety.with_name(f".{safety.name}.partial")
    try:
        # A second name for the same file, not a copy: the swap then gives journal.db the restored
        # file and leaves this name alone on the old one. Until the swap nothing writes to the
        # journal (`claim.alone`); a restore stopped before it leaves a name that `tidy` removes.
        os.link(live, partial)
    except OSError:  # backups/ on another disk, or a file system without hard links
        store.copy_file(live, partial)
    os.replace(partial, safety)
    store.fsync_dir(safety.parent)
    return safety


def _free_name(path: Path) -> Path:
    """`path`, or the same name with -2, -3 … when a copy (or its keys) already has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate, n = path, 1
    while os.path.lexists(candidate) or os.path.lexists(keys_beside(candidate)):
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}.db")
    return candidate


def _opens(path: Path, key: bytes) -> bool:
    if not path.is_file() or path.stat().st_size < 1024:  # SQLite would take a near-empty file for a new database
        return False
    return store.opens(path, key)
