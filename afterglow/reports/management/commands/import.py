"""`afterglow import jrnl|dayone|json PATH`: bring another journal in; importing the same file again adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from afterglow.access import local_patient
from afterglow.lib.errors import UserError
from afterglow.reports.formats import import_names, importer
from afterglow.reports.progress import for_cli
from afterglow.vault.verbs import Command as BaseCommand


class Command(BaseCommand):
    help = "Import entries from jrnl (JSON or its text file), Day One (its JSON zip) or an Afterglow json export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", help=f"one of {', '.join(import_names())}")
        parser.add_argument("path", help="the file to import")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = importer(options["format"])
        path = Path(options["path"]).expanduser()
        if not path.is_file():
            raise UserError(f"{path}: there is no such file" if not path.exists() else f"{path}: this is not a plain file")
        progress = for_cli("Importing")
        try:
            with open(path, "rb") as source:
                result = fmt.reader(local_patient(), source, progress)
        except OSError as exc:
            raise UserError(f"{path}: could not be read ({exc.strerror or exc})") from None
        finally:
            progress.done()
        self.stdout.write(result.words())
