"""`afterglow restore PATH`: replace the journal with a verified backup."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from afterglow.vault import backup, session, tidy
from afterglow.vault.verbs import Command as BaseCommand


class Command(BaseCommand):
    help = "Restore a backup (checked with your passphrase and an integrity check first). Close Afterglow before restoring."
    needs_unlock = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--other-journal", action="store_true", help="the backup is of another journal: put it in this one's place"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if note := tidy.at_start():
            sys.stderr.write(f"afterglow: {note}\n")
        passphrase = session.ask_passphrase()
        safety = backup.restore(options["path"].expanduser(), passphrase, other_journal=options["other_journal"])
        session.unlock(passphrase, migrate=False)
        call_command("migrate", verbosity=0, interactive=False)
        kept = f" The journal it replaced is kept as {safety}." if safety else ""
        self.stdout.write(f"Restored {options['path'].name}.{kept}")
