"""While `afterglow serve` runs: lock after idle minutes, back up once a day, and empty old Trash.

One daemon thread that wakes every half minute; it does nothing while the
journal is locked (there is no key to copy with, and that is the point).
"""

from __future__ import annotations

import logging
import threading
import time

from afterglow.vault import backup, session

log = logging.getLogger("afterglow.vault")
DAY = 24 * 60 * 60
_stop = threading.Event()
# When the Trash was last purged in this process (monotonic seconds); None: not yet, so at start.
_last_purge: float | None = None


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
    if session.is_unlocked() and _purge_due():
        purge_trash()


def _purge_due() -> bool:
    return _last_purge is None or time.monotonic() - _last_purge >= DAY


def purge_trash() -> None:
    """Erase what has waited 30 days in the Trash (see afterglow/trash); at start, then daily."""
    global _last_purge
    from afterglow.trash import bin

    try:
        done = bin.purge()
    except Exception as exc:  # like the backup: never stop the app, try again next tick
        log.warning("trash purge failed: %s", type(exc).__name__)
        return
    finally:
        from django.db import connection

        connection.close()
    _last_purge = time.monotonic()
    if done.items:
        log.info("trash purged: %d item(s) older than 30 days", done.items)


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
