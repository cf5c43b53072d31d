"""The first thing every Afterglow process does with its data folder: finish or clear what a killed one left half-done.

Only a process that has the journal to itself tidies (another one running may be in the
middle of writing exactly these files); after that it holds the journal open, shared,
for the rest of its life (see `claim`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from pathlib import Path

from afterglow.vault import backup, claim, store
from afterglow.vault.errors import InUse

log = logging.getLogger("afterglow.vault")
CREATING = "journal.db.creating"
# Only names Afterglow itself gives: a file a person put in the folder is never removed.
OURS = re.compile(r"^(journal|before-restore)-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?")
_done_for: Path | None = None


def at_start() -> str | None:
    """Finish an interrupted restore or init, remove leftovers; a sentence to show when a restore was finished."""
    global _done_for
    home = store.home()
    if _done_for == home:
        return None
    note = None
    try:
        with claim.alone("busy"):
            note = _finish_and_clear(home)
    except InUse:
        if (home / backup.INTENT).exists():
            raise InUse(
                "A restore was interrupted and must be finished first, but another Afterglow process has the journal "
                "open. Stop it, then try again."
            ) from None
    claim.share()
    _done_for = home
    return note


def _finish_and_clear(home: Path) -> str | None:
    safety = backup.finish_interrupted()
    with store.friendly_io():
        _finish_init(home)
        _finish_encrypting(home)
        _clear(home)
        _clear(store.backups_dir())
    if safety is None:
        return None
    note = "Finished a restore that had been interrupted"
    note += f"; the journal it replaced is kept as backups/{safety}." if safety else "."
    log.info("finished an interrupted restore")
    return note


def _finish_init(home: Path) -> None:
    """`init` makes the empty journal under a temporary name and renames it once keys.json is written."""
    creating = home / CREATING
    if not creating.exists():
        return
    if (home / "keys.json").exists() and not (home / "journal.db").exists():
        os.replace(creating, home / "journal.db")
        store.fsync_dir(home)
    else:
        creating.unlink()


def _finish_encrypting(home: Path) -> None:
    """A first encryption stopped between moving the plain journal aside and putting the encrypted one in place: undo it."""
    plain = home / "journal.db.unencrypted-safety-copy"
    if plain.exists() and not (home / "journal.db").exists():
        os.replace(plain, home / "journal.db")
        (home / "journal.db.encrypting").unlink(missing_ok=True)
        store.fsync_dir(home)


def _clear(folder: Path) -> None:
    if not folder.is_dir():
        return
    _drop_second_names(folder)
    for path in folder.iterdir():
        if _leftover(path):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def _drop_second_names(folder: Path) -> None:
    """A restore's safety copy is a second name for journal.db until the swap; a restore stopped
    before its swap leaves that name on the live journal, which is no copy at all: remove it."""
    live = store.journal_path()
    if folder.name != "backups" or not live.is_file():
        return
    for path in folder.glob("before-restore-*.db"):
        if OURS.match(path.name) and os.path.samefile(path, live):
            for name in (path.name + "-wal", path.name.removesuffix(".db") + ".keys.json", path.name):
                with contextlib.suppress(FileNotFoundError):
                    (folder / name).unlink()


def _leftover(path: Path) -> bool:
    name = path.name
    hidden = name.startswith(".")
    partial = (".partial", ".partial-wal", ".partial-shm", ".partial-journal", ".tmp")
    if (name.endswith(partial) and (hidden or OURS.match(name))) or name.startswith(".write-test-"):
        return True  # half-written copies and temporary files of atomic writes
    if name in (backup.STAGED_JOURNAL, backup.STAGED_KEYS):
        return True  # a restore stopped before it recorded its swap: the journal was never touched
    if OURS.match(name) and path.parent.name == "backups":
        # The keys (or the WAL) of a backup or safety copy that was never finished.
        if name.endswith(".keys.json"):
            return not path.with_name(name.removesuffix(".keys.json") + ".db").exists()
        if name.endswith(".db-wal"):
            return not path.with_name(name.removesuffix("-wal")).exists()
    return False
