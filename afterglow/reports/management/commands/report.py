"""`afterglow report -o FILE.pdf [--from DATE] [--to DATE] [--sessions 1,2] [--entries ID,ID] [--sections ...]`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from afterglow.access import local_patient
from afterglow.lib.errors import UserError
from afterglow.reports import clinician, pdf
from afterglow.vault.verbs import Command as BaseCommand


class Command(BaseCommand):
    help = (
        "Make a PDF report for your clinician: sessions, side effects, mood, questionnaires, actions kept "
        "and only the entries you name (never a private one)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument("--from", dest="start", default="", help="first day, like 2026-03-01 (default: the course's start)")
        parser.add_argument("--to", dest="end", default="", help="last day (default: today or a week after the last session)")
        parser.add_argument("--sessions", default="", help="session ids to cover, separated by commas")
        parser.add_argument("--entries", default="", help="entry ids to include, separated by commas (private ones are refused)")
        parser.add_argument(
            "--sections", nargs="*", default=None,
            help=f"which parts to include (default: all): {', '.join(clinician.SECTION_KEYS)}",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        sections = clinician.parse_sections(options["sections"]) if options["sections"] is not None else clinician.SECTION_KEYS
        choice = clinician.Choice(
            start=clinician.parse_day(options["start"], "--from"), end=clinician.parse_day(options["end"], "--to"),
            session_ids=clinician.parse_ids(options["sessions"], "session ids"),
            entry_ids=clinician.parse_ids(options["entries"], "entry ids"), sections=sections,
        )  # fmt: skip
        if choice.entry_ids and "entries" not in sections:
            raise UserError("--entries needs the entries section (add it to --sections)")
        path = Path(options["output"]).expanduser()
        if path.is_dir():
            raise UserError(f"{path} is a folder; please name the PDF file to write")
        if not path.parent.is_dir():
            raise UserError(f"there is no folder {path.parent}")
        data = pdf.render(clinician.gather(local_patient(), choice))
        fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".pdf", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
        self.stdout.write(f"Wrote the report to {path}.")
