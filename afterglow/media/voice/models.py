"""A voice note: the recording (a BLOB in the encrypted journal) and the state of its transcript.

The transcript itself is the text of the linked Entry, so search, the timeline
and revisions treat it like anything written.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from afterglow.journal.models import Entry


class VoiceNote(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be transcribed"
        RUNNING = "running", "Being transcribed"
        DONE = "done", "Transcribed"
        FAILED = "failed", "Transcription failed"

    class Author(models.TextChoices):
        MACHINE = "machine", "Machine-made"
        PERSON = "person", "Checked by you"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voice_notes")
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="voice")
    # Chosen by the browser before uploading, so an upload retried from its storage never makes a second note.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    audio = models.BinaryField()
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    seconds = models.FloatField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # Who holds the job and when it last moved: the guard that keeps two jobs off one recording.
    claimed_by = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Which recogniser and model made the transcript (e.g. "moonshine", "base-en"), shown on the page.
    engine = models.CharField(max_length=20, blank=True)
    model = models.CharField(max_length=60, blank=True)
    # The text of the pieces done so far while the job runs; the finished text goes into the entry.
    partial = models.TextField(blank=True)
    # A word for the person about a finished transcript (no words heard, for instance).
    remark = models.CharField(max_length=300, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    transcript_by = models.CharField(max_length=8, choices=Author.choices, default=Author.MACHINE)
    # The capture answer (a Capture text field) the recording was made for: its transcript is added
    # there when the job finishes, even if the person has left that step.
    answer_field = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Clinic mode, a private entry's recording (`privacy.py`): `audio` then holds it sealed under a key of its
    # own; `audio_key` holds that key sealed to the patient; `handed` the transcriber's copy of it while a job
    # waits or runs; `sealed_partial` the words made out so far (`partial` stays empty). Empty otherwise.
    audio_key = models.BinaryField(blank=True, default=b"", db_default=b"")
    handed = models.BinaryField(blank=True, default=b"", db_default=b"")
    sealed_partial = models.BinaryField(blank=True, default=b"", db_default=b"")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Voice note of {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def machine_made(self) -> bool:
        """The text is still exactly what the recogniser wrote: not accepted, and not edited here or on the writing page."""
        if self.status != self.Status.DONE or self.transcript_by != self.Author.MACHINE:
            return False
        return self.entry.revisions.count() <= 1

    @property
    def made_by(self) -> str:
        from afterglow.media.voice.engines import describe

        return describe(self.engine, self.model) if self.engine else ""

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
