"""`afterglow voice add FILE [--session N] [--private]`: import a recording and transcribe it here, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandParser

from afterglow.access import local_patient
from afterglow.journal import cli_format as fmt
from afterglow.lib.errors import UserError
from afterglow.lib.files import FileRefused, read_bounded
from afterglow.media.voice import audio, jobs, notes
from afterglow.media.voice.models import VoiceNote
from afterglow.vault.verbs import Command as BaseCommand
from afterglow.web.cli import OneLineParser

BAR = 30


class Command(BaseCommand):
    help = "Add a voice recording (WAV, Ogg/Opus, WebM, MP3, M4A) to your journal and transcribe it."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="add", parser_class=OneLineParser)
        add = actions.add_parser("add", help="import an audio file as a voice note")
        add.add_argument("file", metavar="FILE", help="the recording")
        add.add_argument("--session", type=int, metavar="N", help="link it to session N of your course")
        add.add_argument("--private", action="store_true", help="make its entry private (never in reports)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["file"].strip():
            raise UserError("Give the file of the recording to add, for example: afterglow voice add talk.m4a")
        owner = local_patient()
        session = fmt.session_option(owner, options["session"])
        try:
            note, _ = notes.add(owner, read_file(Path(options["file"])), session=session, private=options["private"])
        except audio.AudioError as exc:
            raise UserError(f"{options['file']}: {exc}") from None
        bar = ProgressBar(sys.stderr)
        outcome = jobs.transcribe(note.pk, worker=jobs.worker_id(), progress=bar)
        bar.done()
        self._report(VoiceNote.objects.defer("audio").select_related("entry").get(pk=note.pk), outcome)

    def _report(self, note: VoiceNote, outcome: str) -> None:
        where = f" for session {note.entry.session.number}" if note.entry.session else ""
        self.stdout.write(f"Added voice note {note.entry.pk}{where} ({note.seconds:.0f} s).")
        if note.status == VoiceNote.Status.DONE:
            if note.entry.text:
                self.stdout.write(f"Transcript (machine-made on this computer by {note.made_by}): {note.entry.text}")
            if note.remark:
                self.stdout.write(note.remark)
        elif note.status == VoiceNote.Status.FAILED:
            self.stdout.write(f"No transcript: {note.problem} The recording is kept; retry from its page.")
        else:
            self.stdout.write("The transcript will be made in the background by `afterglow serve` or `afterglow worker`.")


def read_file(path: Path) -> bytes:
    """The recording's bytes: a regular file or a pipe, refused past the size limit without holding more."""
    try:
        return read_bounded(path, audio.MAX_BYTES, lambda _size: audio.too_big_message(), what="recording")
    except FileRefused as exc:
        raise UserError(str(exc)) from None


class ProgressBar:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.shown = -1

    def __call__(self, percent: int) -> None:
        if percent == self.shown:
            return
        self.shown = percent
        filled = BAR * percent // 100
        self.out.write(f"\rTranscribing [{'#' * filled}{' ' * (BAR - filled)}] {percent:3d}%")
        self.out.flush()

    def done(self) -> None:
        if self.shown >= 0:
            self(100)
            self.out.write("\n")
            self.out.flush()
