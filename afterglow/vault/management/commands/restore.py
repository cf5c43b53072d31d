"""`afterglow restore PATH`: replace the journal with a verified backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from afterglow.lib.cli import Command as BaseCommand
from afterglow.vault import backup, session


class Command(BaseCommand):
    help = "Restore a backup (checked with your passphrase and an integrity check first). Close Afterglow before restoring."
    needs_unlock = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = session.ask_passphrase()
        safety = backup.restore(options["path"].expanduser(), passphrase)
        session.unlock(passphrase, migrate=False)
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write(f"Restored {options['path'].name}. The journal it replaced is kept as {safety}.")
