"""`afterglow worker`: run background jobs (voice transcription) outside `afterglow serve`.

Unlocks with AFTERGLOW_PASSPHRASE like every other verb. `afterglow serve` already
runs this worker in its own process, so this is for clinic mode and for scripts.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from afterglow.media.voice.worker import QueueWorker
from afterglow.vault.verbs import Command as BaseCommand
from afterglow.web.cli import number_between


class Command(BaseCommand):
    help = "Run background jobs (voice transcription) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run the jobs waiting now, then stop")
        parser.add_argument(
            "--interval", type=number_between(0.1, 3600, whole=False), default=1.0, help="seconds between looks at the queue (1)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = QueueWorker(interval=max(0.1, options["interval"]))
        if options["once"]:
            done = worker.run_until_empty()
            self.stdout.write(f"Ran {done} job{'s' if done != 1 else ''}.")
            return
        self.stdout.write("Afterglow worker running (Ctrl+C to stop).")
        self.stdout.flush()
        try:
            worker.run_forever()
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
