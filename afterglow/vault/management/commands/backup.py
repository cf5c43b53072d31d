"""`afterglow backup [-o PATH]`: a consistent encrypted copy of the journal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from afterglow.lib.cli import Command as BaseCommand
from afterglow.vault import backup


class Command(BaseCommand):
    help = "Back up the journal (encrypted) into backups/, or to -o PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, help="file or folder to write the backup to")

    def handle(self, *args: Any, **options: Any) -> None:
        made = backup.make_backup(options["output"].expanduser() if options["output"] else None)
        self.stdout.write(f"Backup written: {made}  (its keys: {backup.keys_beside(made).name})")
