"""Transcription as a background job on the journal's own database (django-tasks' database backend).

Two jobs never work on one recording at once: a job first *claims* the note with
one conditional UPDATE (queued, or running with a heartbeat gone stale), and every
progress write re-checks the claim. A job whose process died (server stopped,
journal locked mid-way) leaves a stale heartbeat; `requeue_stranded` gives it a
fresh job once the journal is open again.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from afterglow import modes
from afterglow.journal import capture
from afterglow.journal.entries import save_text
from afterglow.journal.models import Entry
from afterglow.media.voice import audio, engines, privacy, sealing
from afterglow.media.voice.models import VoiceNote

log = logging.getLogger("afterglow.media")
STALE = timedelta(minutes=2)
# Progress is written at most this often, so a long job does not hammer the database.
PROGRESS_EVERY = 0.5
Status = VoiceNote.Status
# Silence, breathing, a click: not a failure, and nothing to retry. The recording stays.
NO_WORDS = (
    "No spoken words were heard in this recording, so the transcript is empty. "
    "The recording is kept; you can listen to it and write here what you wanted to say."
)

# Moonshine base-en knows only English; what it was unsure of is left out (engines.Moonshine), and the person is told.
NOT_ENGLISH = (
    "This recording did not sound like English to the transcriber. It only understands English, so it wrote "
    "nothing rather than guess words you did not say. The recording is kept; you can listen to it and write "
    "here what you wanted to say."
)
PARTLY_ENGLISH = (
    "Some of this recording (about {seconds}) did not sound like English to the transcriber, which only "
    "understands English, so the words of those parts are left out and some may be wrong or missing. "
    "The recording is kept; you can listen to it and fill in here what is missing."
)
NO_SPEECH = (
    "This recording sounded like music or another steady sound rather than talking, so the transcript is "
    "empty. The recording is kept; you can listen to it and write here what you wanted to say."
)
UNCLEAR_PART = (
    "A short part of this recording (about {seconds}) was not clear to the transcriber, so its words are left "
    "out. The recording is kept; you can listen to it and fill in here what is missing."
)
# Left out, this much of what was heard is more than a word or two the recogniser stumbled on: measured on
# espeak-ng notes (bench/README.md), English lost at most 9 % (one sentence), other languages 100 %.
NOT_ENGLISH_SHARE, NOT_ENGLISH_SECONDS = 0.25, 15.0


def remark_for(text: str, doubts: engines.Doubts | None) -> str:
    """The word for the person about a finished transcript: nothing heard, music, not English, a part left out."""
    doubts = doubts or engines.Doubts()
    if not text:
        if doubts.unsure:
            return NOT_ENGLISH
        return NO_SPEECH if doubts.not_speech else NO_WORDS
    if not doubts.unsure:
        return ""
    if doubts.unsure >= NOT_ENGLISH_SECONDS or doubts.unsure >= NOT_ENGLISH_SHARE * doubts.heard:
        return PARTLY_ENGLISH.format(seconds=_duration(doubts.unsure))
    return UNCLEAR_PART.format(seconds=_duration(doubts.unsure))


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} seconds"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


class Cancelled(RuntimeError):
    """The note was deleted, or another job took it over."""


def worker_id() -> str:
    # One worker per process (a thread of `serve`, or `afterglow worker`, or the CLI's own run):
    # the process is what dies, so it is what a claim names.
    return f"{socket.gethostname()[:40]}-{os.getpid()}"


@task()
def transcribe_task(note_id: int) -> str:
    return transcribe(note_id, worker=worker_id())


def enqueue(note: VoiceNote) -> None:
    result = transcribe_task.enqueue(note.pk)
    VoiceNote.objects.filter(pk=note.pk).update(task_id=str(result.id))


def claim(note_id: int, worker: str) -> bool:
    """Take the note for this worker, atomically; False when another live job holds it or it is finished."""
    now = timezone.now()
    free = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, heartbeat_at__lt=now - STALE)
    taken = VoiceNote.objects.filter(free, pk=note_id).update(
        status=Status.RUNNING, claimed_by=worker, heartbeat_at=now, progress=0, problem="", partial="", remark="",
        sealed_partial=b"",
    )  # fmt: skip
    return taken == 1


def transcribe(note_id: int, *, worker: str, progress: Callable[[int], None] | None = None) -> str:
    """Run one transcription to the end. Returns the note's final status ('skipped' when not claimed)."""
    if not claim(note_id, worker):
        return "skipped"
    note = VoiceNote.objects.select_related("entry").filter(pk=note_id).first()
    if note is None:
        return "skipped"  # deleted a moment ago
    try:
        # A private entry's recording (clinic mode) is sealed: opened here with the key it was handed.
        recording, handed = privacy.for_transcriber(note)
        reporter = _Reporter(note, worker, progress, handed)
        chosen = engines.engine()
        text = chosen.transcribe(audio.pcm16k(recording), note.seconds, reporter)
    except Cancelled:
        return "skipped"
    except (audio.AudioError, engines.EngineError, privacy.NotHanded, sealing.Unreadable) as exc:
        return _fail(note_id, worker, str(exc))
    except Exception as exc:
        if not _journal_open():
            raise  # locked mid-way: the heartbeat goes stale and the job is given again after unlock
        log.warning("transcription failed: %s", type(exc).__name__)
        return _fail(note_id, worker, f"The transcription stopped unexpectedly ({type(exc).__name__}).")
    return _finish(note_id, worker, text.strip(), chosen)


class _Reporter:
    def __init__(
        self, note: VoiceNote, worker: str, listener: Callable[[int], None] | None, handed: sealing.Handed | None
    ) -> None:
        self.note, self.note_id, self.worker, self.listener, self.handed = note, note.pk, worker, listener, handed
        self.last_write = 0.0
        self.last_percent = -1

    def __call__(self, fraction: float, text: str | None = None) -> None:
        percent = min(99, int(fraction * 100))
        if self.listener and percent != self.last_percent:
            self.listener(percent)
        self.last_percent = percent
        # New words are written at once, so the page shows them; a bare percentage can wait a moment.
        if text is None and time.monotonic() - self.last_write < PROGRESS_EVERY:
            return
        self.last_write = time.monotonic()
        changes: dict[str, Any] = {"progress": percent, "heartbeat_at": timezone.now()}
        if self._write(changes, text) or (self._sealed_since() and self._write(changes, text)):
            return
        raise Cancelled(self.note_id)

    def _write(self, changes: dict[str, Any], text: str | None) -> bool:
        # Written only while the note is as this job last saw it: in the clear, or sealed with the same key.
        # Words made out so far never reach the database in the clear once the entry was marked private.
        if text is not None:
            changes = {**changes, **privacy.partial_columns(self.note, self.handed, text)}
        mine = VoiceNote.objects.filter(pk=self.note_id, claimed_by=self.worker, status=Status.RUNNING)
        mine = mine.filter(audio_key=b"") if self.handed is None else mine.filter(handed=self.note.handed)
        return bool(mine.update(**changes))

    def _sealed_since(self) -> bool:
        """The entry was marked private (or un-marked) while this job ran: carry on with the note as it is now."""
        now = VoiceNote.objects.defer("audio").filter(pk=self.note_id, claimed_by=self.worker, status=Status.RUNNING).first()
        if now is None:
            return False
        self.note = now
        self.handed = privacy.lent(now) if privacy.is_sealed(now) else None
        if privacy.is_sealed(now) and self.handed is None:
            raise privacy.NotHanded()
        return True


@transaction.atomic
def _finish(note_id: int, worker: str, text: str, chosen: engines.Engine) -> str:
    # The entry first, then the note: the order a save of the entry takes them in (it seals or opens the
    # recording as the entry is marked private or not), so the two never wait on each other.
    entry_id = VoiceNote.objects.filter(pk=note_id).values_list("entry_id", flat=True).first()
    if entry_id is None:
        return "skipped"  # deleted a moment ago
    list(Entry.objects.select_for_update().filter(pk=entry_id).values_list("pk", flat=True))
    note = VoiceNote.objects.select_for_update().select_related("entry").filter(pk=note_id, claimed_by=worker).first()
    if note is None:
        return "skipped"
    # Words the person typed while the machine worked (here or on the writing page) are theirs: never overwritten.
    # A private entry's words are sealed from this worker (clinic mode): if there are any, they count as typed.
    if privacy.is_sealed(note):
        handed = privacy.lent(note)
        landed = privacy.land_transcript(note, handed, text) if handed else None
        if landed is None:
            return _fail(note_id, worker, privacy.NOT_HANDED)
        if not landed:
            note.transcript_by = VoiceNote.Author.PERSON
    elif note.entry.text.strip() or note.entry.locked:
        note.transcript_by = VoiceNote.Author.PERSON
    else:
        save_text(note.entry, text, allow_empty=True)
    # A capture answer is not private: a private recording's words stay in its own (sealed) entry.
    if text and note.answer_field and note.entry.session is not None and not privacy.is_sealed(note):
        capture.add_transcript(note.entry.session, note.answer_field, text)
    note.status, note.progress, note.claimed_by, note.problem, note.partial = Status.DONE, 100, "", "", ""
    note.engine, note.model, note.remark = chosen.name, chosen.model, remark_for(text, getattr(chosen, "doubts", None))
    note.handed, note.sealed_partial = b"", b""  # the transcriber's copy of the key goes as the job ends
    note.save(update_fields=[
        "status", "progress", "engine", "model", "claimed_by", "problem", "partial", "remark", "transcript_by",
        "handed", "sealed_partial",
    ])  # fmt: skip
    return Status.DONE


def _fail(note_id: int, worker: str, problem: str) -> str:
    VoiceNote.objects.filter(pk=note_id, claimed_by=worker).update(
        status=Status.FAILED, claimed_by="", problem=problem[:300], partial="", sealed_partial=b"", handed=b""
    )
    return Status.FAILED


def retry(note: VoiceNote) -> bool:
    """Queue a failed (or stranded) transcription again; the audio was kept.

    A private entry's sealed recording is handed to the transcriber again: only the patient's own request can.
    """
    stale = timezone.now() - STALE
    handed = privacy.hand_over(note)
    again = VoiceNote.objects.filter(
        Q(status=Status.FAILED) | Q(status=Status.RUNNING, heartbeat_at__lt=stale), pk=note.pk
    ).update(status=Status.QUEUED, progress=0, problem="", claimed_by="", **({} if handed is None else {"handed": handed}))
    if again:
        enqueue(note)
    return bool(again)


def requeue_stranded() -> int:
    """Give a fresh job to notes whose job died with its process, was cut by a lock, or never reached the queue."""
    from django_tasks_db.models import DBTaskResult

    waiting = {str(i) for i in DBTaskResult.objects.filter(status=TaskResultStatus.READY).values_list("id", flat=True)}
    stale = timezone.now() - STALE
    count = 0
    for note in VoiceNote.objects.filter(status__in=[Status.QUEUED, Status.RUNNING]).defer("audio"):
        if note.status == Status.RUNNING:
            if note.heartbeat_at is not None and note.heartbeat_at >= stale:
                continue  # a live job is working on it
            released = VoiceNote.objects.filter(pk=note.pk, status=Status.RUNNING, heartbeat_at=note.heartbeat_at)
            if not released.update(status=Status.QUEUED, claimed_by=""):
                continue
        if note.task_id not in waiting:
            enqueue(note)
            count += 1
    return count


def prune_finished(days: int = 7) -> int:
    """Forget the queue's records of jobs that ended more than `days` ago (the notes keep their own state)."""
    from django_tasks_db.models import DBTaskResult

    ended = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    old = DBTaskResult.objects.filter(status__in=ended, finished_at__lt=timezone.now() - timedelta(days=days))
    return old.delete()[0]


def release(worker: str) -> None:
    """This worker's jobs were cut short (a lock mid-way): let them be given again at once."""
    VoiceNote.objects.filter(status=Status.RUNNING, claimed_by=worker).update(
        status=Status.QUEUED, claimed_by="", heartbeat_at=None
    )


def _journal_open() -> bool:
    return modes.current().journal_open()
