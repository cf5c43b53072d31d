"""`afterglow search QUERY`: everything written that matches, best first, with the match marked.

Entries, prompt answers, voice transcripts, drawing and photo captions, quick-capture answers,
intentions (and their revisits) and check-in notes: the same sources as the search page.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from afterglow.access import local_patient
from afterglow.journal import cli_format as fmt
from afterglow.journal.search import PLAIN_MARKS, SearchUnavailable
from afterglow.lib.errors import UserError
from afterglow.pages.everywhere import KINDS, BadQuery, Filters, Result, find, session_filter
from afterglow.tags.store import TagError, clean_name
from afterglow.vault.verbs import Command as BaseCommand

DEFAULT_LIMIT = 20


class Command(BaseCommand):
    help = (
        'Search everything you wrote. Every word must appear; "quote a phrase"; end a word with * for a prefix. '
        f"Kinds: {', '.join(KINDS)}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="+", help="words to look for")
        parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N", help=f"at most N (default {DEFAULT_LIMIT})")
        parser.add_argument(
            "--kind", action="append", default=[], metavar="KIND", help="only this kind (repeat or use commas for several)"
        )
        parser.add_argument("--session", type=int, metavar="N", help="only what belongs to session N of the current course")
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="only from this day on")
        parser.add_argument("--until", metavar="YYYY-MM-DD", help="only up to this day")
        parser.add_argument("--tag", metavar="TAG", help="only entries and captures with this #tag")
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args: Any, **options: Any) -> None:
        query = fmt.utf8_argument(" ".join(options["query"]), "the search")
        limit = fmt.count_option(options["limit"], "--limit", "results")
        owner = local_patient()
        filters = _filters(owner, options)
        marks = fmt.BOLD if not options["json"] and fmt.wants_colour(self.stdout) else PLAIN_MARKS
        try:
            results = find(owner, query, filters, limit=limit, marks=marks)
        except BadQuery as exc:
            raise UserError(str(exc).replace("Type at least", "Give at least")) from None
        except SearchUnavailable as exc:
            raise UserError(str(exc)) from None
        if options["json"]:
            self.stdout.write(fmt.dump_json([_as_json(r) for r in results]))
        elif results:
            rows = [[str(r.pk), fmt.local_stamp(r.at), fmt.session_label(r.session_number), r.label, _line(r)] for r in results]
            fmt.write_lines(self.stdout, fmt.aligned(rows))
        else:
            self.stderr.write(f"Nothing matches {query[:80]!r}.")


def _filters(owner: Any, options: dict[str, Any]) -> Filters:
    kinds = {k.strip().casefold() for raw in options["kind"] for k in raw.split(",") if k.strip()}
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        raise UserError(f"--kind {unknown[0][:40]!r} is not a kind; choose from {', '.join(KINDS)}")
    since = fmt.parse_day(options["since"], "--since", lived=True) if options["since"] else None
    until = fmt.parse_day(options["until"], "--until") if options["until"] else None
    if since and until and since > until:
        raise UserError("--since is after --until; nothing can be between them")
    mark, end = None, None
    session = fmt.session_option(owner, options["session"])
    if session is not None:
        try:
            mark, end = session_filter(owner, session.pk)
        except BadQuery as exc:
            raise UserError(str(exc)) from None
    tag = ""
    if options["tag"] is not None:
        try:
            tag = clean_name(options["tag"])
        except TagError as exc:
            raise UserError(str(exc)) from None
    return Filters(kinds=frozenset(kinds), session=mark, session_end=end, since=since, until=until, tag=tag)


def _line(result: Result) -> str:
    if result.title and result.title not in result.snippet:
        return f"{result.title} — {result.snippet}"
    return result.snippet


def _as_json(result: Result) -> dict[str, Any]:
    return {
        "id": result.pk,
        "uid": result.extra.get("uid"),
        "created_at": fmt.iso(result.at),
        "session": result.session_number,
        "title": result.title,
        "private": result.private,
        "snippet": result.snippet,
        "score": round(result.score, 4),
        "kind": result.kind,
    }
