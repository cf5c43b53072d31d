"""`afterglow search QUERY`: entries that match, best first, with the match marked."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from afterglow.journal import cli_format as fmt
from afterglow.journal.access import local_patient
from afterglow.journal.search import PLAIN_MARKS, Hit, SearchUnavailable, match_expression, search
from afterglow.lib.cli import Command as BaseCommand
from afterglow.lib.cli import UserError

DEFAULT_LIMIT = 20


class Command(BaseCommand):
    help = 'Search your entries. Every word must appear; "quote a phrase"; end a word with * for a prefix.'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="+", help="words to look for")
        parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N", help=f"at most N (default {DEFAULT_LIMIT})")
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args: Any, **options: Any) -> None:
        query = fmt.utf8_argument(" ".join(options["query"]), "the search")
        if not match_expression(query):
            raise UserError("Give at least one word to search for")
        limit = fmt.count_option(options["limit"], "--limit", "results")
        marks = fmt.BOLD if not options["json"] and fmt.wants_colour(self.stdout) else PLAIN_MARKS
        try:
            hits = search(local_patient(), query, limit, marks=marks)
        except SearchUnavailable as exc:
            raise UserError(str(exc)) from None
        if options["json"]:
            self.stdout.write(fmt.dump_json([_as_json(hit) for hit in hits]))
        elif hits:
            rows = [[str(h.entry_id), fmt.local_stamp(h.created_at), fmt.session_label(h.session_number), _line(h)] for h in hits]
            fmt.write_lines(self.stdout, fmt.aligned(rows))
        else:
            self.stderr.write(f"No entries match {query!r}.")


def _line(hit: Hit) -> str:
    if hit.title and hit.title not in hit.snippet:
        return f"{hit.title} — {hit.snippet}"
    return hit.snippet


def _as_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.entry_id,
        "uid": hit.uid,
        "created_at": fmt.iso(hit.created_at),
        "session": hit.session_number,
        "title": hit.title,
        "private": hit.private,
        "snippet": hit.snippet,
        "score": round(hit.score, 4),
    }
