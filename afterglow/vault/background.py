"""While `afterglow serve` runs: lock after idle minutes, back up once a day, and empty old Trash.

One daemon thread that wakes every half minute; it does nothing while the
journal is locked (there is no key to copy with, and that is the point).
Daily chores of the domains above the vault (the Trash's purge) are registered
with `daily()` from their app's `ready()`, so the vault does not import them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from afterglow.vault import backup, session

log = logging.getLogger("afterglow.vault")
DAY = 24 * 60 * 60
_stop = threading.Event()


@dataclass
class Chore:
    name: str
    run: Callable[[], None]
    # When it last ran in this process (monotonic seconds); None: not yet, so at start.
    last: float | None = None


chores: dict[str, Chore] = {}


def daily(name: str, run: Callable[[], None]) -> None:
    """Run `run` at start and then once a day while the journal is unlocked."""
    chores.setdefault(name, Chore(name, run))


def tick() -> None:
    if session.lock_if_idle():
        log.info("locked after being idle")
        return
    if session.lock_if_moved():
        return
    if session.is_unlocked() and _backup_due():
        try:
            path = backup.make_backup()
            log.info("daily backup written: %s", path.name)
        except Exception as exc:  # a failed backup must never stop the app; try again next tick
            log.warning("daily backup failed: %s", type(exc).__name__)
    for chore in list(chores.values()):
        if session.is_unlocked() and _due(chore):
            _run_chore(chore)


def _due(chore: Chore) -> bool:
    return chore.last is None or time.monotonic() - chore.last >= DAY


def _run_chore(chore: Chore) -> None:
    try:
        chore.run()
    except Exception as exc:  # like the backup: never stop the app, try again next tick
        log.warning("%s failed: %s", chore.name, type(exc).__name__)
        return
    finally:
        from django.db import connection

        connection.close()
    chore.last = time.monotonic()


def _backup_due() -> bool:
    from django.conf import settings

    if not settings.VAULT_AUTO_BACKUP:
        return False
    age = backup.latest_age_seconds()
    return age is None or age >= DAY


def _run(interval: float) -> None:
    while not _stop.wait(interval):
        tick()


def start(interval: float = 30.0) -> threading.Thread:
    _stop.clear()
    thread = threading.Thread(target=_run, args=(interval,), name="afterglow-vault", daemon=True)
    thread.start()
    return thread


def stop() -> None:
    _stop.set()
