"""`afterglow list`: the newest entries, one a line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.db.models.functions import Substr

from afterglow.access import local_patient
from afterglow.journal import cli_format as fmt
from afterglow.journal.models import Entry
from afterglow.vault.verbs import Command as BaseCommand

DEFAULT_COUNT = 10
# Enough text for one line; an entry may be a megabyte and only its start is shown.
PREVIEW_CHARS = 400
FIELDS = ("id", "uid", "created_at", "session__number", "mode", "prompt_id", "title", "private")


class Command(BaseCommand):
    help = "List your newest entries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-n", type=int, default=DEFAULT_COUNT, metavar="N", help=f"how many (default {DEFAULT_COUNT})")
        parser.add_argument("--session", type=int, metavar="N", help="only entries linked to session N")
        parser.add_argument("--json", action="store_true", help="machine-readable output, with the full text")

    def handle(self, *args: Any, **options: Any) -> None:
        count = fmt.count_option(options["n"], "-n", "entries")
        rows = newest_entries(local_patient(), count, session_number=options["session"], full_text=options["json"])
        if options["json"]:
            self.stdout.write(fmt.dump_json([_as_json(row) for row in rows]))
        elif rows:
            width = fmt.line_width(self.stdout)
            table = [[str(r["id"]), fmt.local_stamp(r["created_at"]), fmt.session_label(r["session__number"])] for r in rows]
            fixed = fmt.visible_len(fmt.aligned([[*cells, ""] for cells in table])[0]) + 2
            lines = fmt.aligned([[*cells, _summary(row, width - fixed)] for cells, row in zip(table, rows, strict=True)])
            fmt.write_lines(self.stdout, lines)
        else:
            self.stderr.write("No entries yet. Write one with: afterglow write")


def newest_entries(owner: Any, count: int, *, session_number: int | None = None, full_text: bool = False) -> list[dict]:
    """The newest `count` entries, read through the (owner, created_at) index; only a preview unless `full_text`."""
    entries = Entry.objects.filter(owner=owner)
    if session_number is not None:
        entries = entries.filter(session=fmt.session_option(owner, session_number))
    text = "text" if full_text else "preview"
    entries = entries.annotate(preview=Substr("text", 1, PREVIEW_CHARS)) if not full_text else entries
    return list(entries.order_by("-created_at", "-id").values(*FIELDS, text)[:count])


def _summary(row: dict, width: int) -> str:
    body = row.get("preview", "")
    text = f"{row['title']} — {body}" if row["title"] else body
    return fmt.one_line(text, max(20, width))


def _as_json(row: dict) -> dict[str, Any]:
    return {
        "id": row["id"],
        "uid": str(row["uid"]),
        "created_at": fmt.iso(row["created_at"]),
        "session": row["session__number"],
        "mode": row["mode"],
        "prompt_id": row["prompt_id"] or None,
        "title": row["title"],
        "private": row["private"],
        "text": row["text"],
    }
