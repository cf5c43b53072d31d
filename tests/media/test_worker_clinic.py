"""`afterglow worker` on PostgreSQL: workers never share a job, and a killed worker's job is done by another."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from afterglow.media.voice import jobs, notes
from afterglow.media.voice.models import VoiceNote
from afterglow.media.voice.worker import QueueWorker
from tests.clinic.processes import BIN, ROOT, clinic_env

pytestmark = [pytest.mark.clinic, pytest.mark.django_db(transaction=True)]


def _queue(count: int) -> set[str]:
    # Jobs for notes that do not exist: these tests only take jobs, they never run them.
    return {str(jobs.transcribe_task.enqueue(10_000 + n).id) for n in range(count)}


def test_a_job_locked_by_one_worker_is_skipped_by_another():
    _queue(2)
    held = threading.Event()
    release = threading.Event()
    first: list[str] = []

    def hold() -> None:
        with transaction.atomic():
            first.append(str(DBTaskResult.objects.ready().get_locked().id))
            held.set()
            release.wait(10)
        connection.close()

    other = threading.Thread(target=hold)
    other.start()
    try:
        assert held.wait(10)
        with transaction.atomic():
            mine = DBTaskResult.objects.ready().get_locked()
            assert mine is not None and str(mine.id) != first[0]
    finally:
        release.set()
        other.join()


def test_two_workers_taking_jobs_at_once_never_take_the_same_one():
    queued = _queue(40)
    start = threading.Barrier(2)
    taken: dict[str, list[str]] = {"A": [], "B": []}

    def work(name: str) -> None:
        worker = QueueWorker(worker=name)
        start.wait(10)
        try:
            while (job := worker._next_job()) is not None:
                taken[name].append(str(job.id))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(name,)) for name in taken]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not set(taken["A"]) & set(taken["B"])
    assert sorted(taken["A"] + taken["B"]) == sorted(queued)
    claims = DBTaskResult.objects.values_list("worker_ids", flat=True)
    assert all(len(ids) == 1 for ids in claims)


def test_a_worker_killed_mid_job_leaves_the_job_to_be_done_by_another(patient, speech_ogg, tmp_path):
    note = notes.add(patient, speech_ogg)[0]
    worker = subprocess.Popen(
        [str(BIN / "afterglow"), "worker", "--interval", "0.1"],
        env=clinic_env(tmp_path),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while VoiceNote.objects.get(pk=note.pk).status != VoiceNote.Status.RUNNING:
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
            assert time.monotonic() < deadline, "the worker never took the job"
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(30)
    stranded = VoiceNote.objects.get(pk=note.pk)
    assert stranded.status == VoiceNote.Status.RUNNING and stranded.claimed_by.endswith(f"-{worker.pid}")
    # Its heartbeat goes stale (as it would after jobs.STALE); the next worker's sweep gives the job again.
    VoiceNote.objects.filter(pk=note.pk).update(heartbeat_at=timezone.now() - jobs.STALE - timedelta(seconds=1))
    assert QueueWorker(worker="next").run_until_empty() >= 1
    done = VoiceNote.objects.select_related("entry").get(pk=note.pk)
    assert done.status == VoiceNote.Status.DONE and done.entry.text.strip()
