"""`afterglow backup [-o PATH]`: a consistent encrypted copy of the journal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from afterglow.vault import backup
from afterglow.vault.verbs import Command as BaseCommand


class Command(BaseCommand):
    help = "Back up the journal (encrypted) into backups/, or to -o PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, help="a new file, or an existing folder, outside the data folder")
        parser.add_argument("--force", action="store_true", help="replace the file at -o PATH if there is one")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"].expanduser() if options["output"] else None
        made = backup.make_backup(output, force=options["force"])
        self.stdout.write(f"Backup written: {made}  (its keys: {backup.keys_beside(made).name})")
