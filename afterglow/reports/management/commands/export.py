"""`afterglow export --format md|json|csv|fhir [-o PATH] [--include-private]`: take the journal out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from afterglow.access import local_patient
from afterglow.reports import exporting
from afterglow.reports.formats import ExportOptions, export_names, exporter
from afterglow.reports.progress import for_cli
from afterglow.vault.verbs import Command as BaseCommand


class Command(BaseCommand):
    help = (
        "Export the journal: json (everything, with media; Afterglow can import it again), md (Markdown files), "
        "csv (check-ins and questionnaires) or fhir (for a clinic's records)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, help=f"one of {', '.join(export_names())}")
        parser.add_argument("-o", "--output", help="the file to write (a folder works too; csv then writes two files into it)")
        parser.add_argument(
            "--include-private", action="store_true",
            help="include entries marked private (json and md only; never in csv or fhir)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = exporter(options["format"])
        choice = ExportOptions(include_private=options["include_private"])
        path = Path(options["output"] or exporting.default_name(fmt)).expanduser()
        written = exporting.to_path(fmt, local_patient(), choice, path, for_cli("Exporting"))
        self.stdout.write(f"Exported to {written}.")
