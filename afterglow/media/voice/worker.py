"""The queue's worker loop, run as a thread of `afterglow serve` or on its own as `afterglow worker`.

In local mode the data key lives only in the memory of the process that was
unlocked, so the serve process runs the worker itself. While the journal is
open, the worker holds the speech model, loaded and run once over a second of
quiet, so that the first recording's words come as soon as any later one's.
While it is locked the loop only waits, and lets go of the model (some 400 MB
of memory a locked journal has no use for); at the next unlock it loads it
again and first re-queues jobs that a lock or a stop cut short.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, transaction
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from afterglow import modes
from afterglow.media.voice import engines, jobs

log = logging.getLogger("afterglow.media")
# Also look for jobs another process left behind (a CLI stopped mid-way) this often.
SWEEP_SECONDS = 60.0


class QueueWorker:
    def __init__(self, interval: float = 1.0, worker: str | None = None) -> None:
        self.interval = interval
        self.worker = worker or jobs.worker_id()
        self.runner = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME], interval=interval, batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS, startup_delay=False, max_tasks=None, worker_id=self.worker,
        )  # fmt: skip
        self._opened_with: object = None
        self._cut = False
        self._swept_at = 0.0
        # Whether to hold the model while the journal is open (a long-running worker), and whether it was tried
        # since the last unlock (a model that cannot load is tried once per unlock, not at every step).
        self.keeps_model = False
        self._warm_tried = False
        self.stop = threading.Event()

    def step(self) -> bool:
        """Run at most one job; True when one ran. Does nothing while the journal is locked."""
        key = _current_key()
        if key is None:
            self._opened_with = None
            if self.keeps_model:
                self._warm_tried = False
                engines.release()
            return False
        if self.keeps_model and not self._warm_tried:
            self._warm()
        close_old_connections()  # drops a connection opened under a key the vault has since forgotten
        sweep = self._opened_with is not key or time.monotonic() - self._swept_at > SWEEP_SECONDS
        if self._cut:
            jobs.release(self.worker)
            self._cut, sweep = False, True
        if sweep:
            jobs.requeue_stranded()
            jobs.prune_finished()
            self._opened_with, self._swept_at = key, time.monotonic()
        job = self._next_job()
        if job is None:
            return False
        self.runner.run_task(job)
        return True

    def _next_job(self):  # type: ignore[no-untyped-def]
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS, queue_name=DEFAULT_TASK_QUEUE_NAME)
        with transaction.atomic():
            job = ready.get_locked()
            if job is not None:
                job.claim(self.worker)
        return job

    def run_until_empty(self) -> int:
        done = 0
        while self.step():
            done += 1
        return done

    def run_forever(self) -> None:
        self.keeps_model = True
        if _current_key() is not None:
            self._warm()
        while not self.stop.is_set():
            try:
                ran = self.step()
            except Exception as exc:  # locked mid-job, a busy database: wait and try again, never spin
                log.warning("voice worker paused: %s", type(exc).__name__)
                self._opened_with = None
                self._cut = True
                ran = False
            if not ran:
                self.stop.wait(self.interval)

    def _warm(self) -> None:
        """Load the speech model when the worker starts on an open journal or the journal is unlocked, before
        the first job, so the first note's words come as soon as any later one's. Only a long-running worker
        (serve, `afterglow worker`) does; the CLI's own run loads it with its job. Tried once per unlock: a
        model that cannot load must not keep the jobs waiting (they will say why)."""
        self._warm_tried = True
        try:
            engines.warm()
        except Exception as exc:  # out of memory, a broken runtime: the jobs report it on the note's page
            log.warning("voice worker could not load the speech model: %s", type(exc).__name__)


def _current_key() -> object:
    return modes.current().unlocked_with()


def start_thread(interval: float = 1.0) -> QueueWorker:
    worker = QueueWorker(interval)
    threading.Thread(target=worker.run_forever, name="afterglow-voice", daemon=True).start()
    return worker
