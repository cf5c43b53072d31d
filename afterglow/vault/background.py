"""While `afterglow serve` runs: lock after idle minutes, back up once a day, and empty old Trash.

One daemon thread that wakes every half minute; it does nothing while the
journal is locked (there is no key to copy with, and that is the point).
Daily chores of the domains above the vault (the Trash's purge) are registered
with `daily()` from their app's `ready()`, so the vault does not import them.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from afterglow.vault import backup, session

log = logging.getLogger("afterglow.vault")
DAY = 24 * 60 * 60
T = TypeVar("T")
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
            path = gently(backup.make_backup)
            log.info("daily backup written: %s", path.name)
        except Exception as exc:  # a failed backup must never stop the app; try again next tick
            log.warning("daily backup failed: %s", type(exc).__name__)
    for chore in list(chores.values()):
        if session.is_unlocked() and _due(chore):
            _run_chore(chore)


# How much less CPU the daily backup asks for than the pages (nice 10: about a tenth of a core's
# share when pages are busy; all of an idle core when they are not).
BACKUP_NICENESS = 10


def gently(run: Callable[[], T]) -> T:
    """`run()` in a thread of its own at a lower CPU priority, waiting for it; its result or its error.

    The daily backup copies and checks the whole journal (seconds of CPU on a large one). The
    copy and the check run in SQLite with the GIL released, so what competes with page requests
    is the CPU itself: at nice 10 the scheduler gives the pages first call and the backup the rest.
    Linux keeps a nice value per thread, so only this thread is lowered (and it ends with the
    backup: an unprivileged process cannot raise a thread's priority again). Elsewhere the backup
    runs as before, at normal priority.
    """
    outcome: dict[str, Any] = {}

    def body() -> None:
        if sys.platform.startswith("linux"):
            try:
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKUP_NICENESS)
            except OSError:
                log.info("the backup runs at normal priority (could not lower it)")
        try:
            outcome["value"] = run()
        except BaseException as exc:  # handed to the caller, which decides
            outcome["error"] = exc
        finally:
            from django.db import connections

            connections.close_all()

    worker = threading.Thread(target=body, name="afterglow-backup", daemon=True)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return cast(T, outcome["value"])


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
