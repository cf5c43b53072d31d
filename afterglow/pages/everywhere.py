"""Search everything a patient writes: entries, prompt answers, voice transcripts, drawing and photo
captions, quick-capture answers, intentions (with their revisits) and check-in notes.

Each source has its own FTS5 index (see `search.py`); this module asks each one, within the
patient's own rows and the filters, and merges the answers best first. Every result says what it
is, where it sits in the course ("Day 2 after session 3") and carries a snippet whose matches sit
between `marks`; `highlight` turns such a snippet into safe HTML.

Rows in the Trash are never found: deleting takes them out of their tables (and so out of every
index), see afterglow/trash.
"""

from __future__ import annotations

import bisect
import html
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from afterglow.journal import private, search_pg
from afterglow.journal import search as fts
from afterglow.journal.models import SEARCH_FACETS
from afterglow.journal.rules import day_after, day_label
from afterglow.journal.timeline import Mark, Sessions
from afterglow.lib.errors import UserError
from afterglow.media.search import CAPTIONS, PG_CAPTIONS
from afterglow.media.visual import sealing
from afterglow.tags.store import sealed_tagged

# What a result can be, as the filter and the CLI's --kind name it, with the words shown.
KINDS: dict[str, str] = {
    "entry": "Entry",
    "prompt": "Prompt answer",
    "voice": "Voice note",
    "drawing": "Drawing caption",
    "photo": "Photo caption",
    "capture": "Capture answer",
    "intention": "Intention",
    "checkin": "Check-in note",
}
ENTRY_KINDS = ("entry", "prompt", "voice")
_ENTRY_KIND_SQL = {
    "voice": "e.mode = 'voice'",
    "prompt": "e.mode = 'guided'",
    "entry": "e.mode NOT IN ('voice', 'guided')",
}
# Private-use characters mark matches in snippets meant for HTML: they are escaped with the
# text around them untouched, then turned into <mark> (see `highlight`).
HTML_MARKS = ("\ue000", "\ue001")
MAX_QUERY = 500  # characters; a longer query is refused with a message, not searched
DEFAULT_LIMIT = 20
# A filtered search reads each candidate's row to test the filters, so it ranks among fewer of the
# newest matches than the unfiltered one (`search.RANK_CANDIDATES`), which reads the index alone.
FILTERED_CANDIDATES = 500


class BadQuery(UserError, ValueError):
    """A query or filter that cannot be searched; the message says why, kindly."""


@dataclass(frozen=True)
class Filters:
    kinds: frozenset[str] = frozenset()  # empty: every kind
    session: Mark | None = None
    session_end: datetime | None = None  # the next session's start, when there is one
    since: date | None = None
    until: date | None = None
    tag: str = ""
    # A clinic's private entries carrying `tag` (their tags are sealed): found once per search, by `find`.
    sealed_tagged: tuple[int, ...] = ()

    def wants(self, kind: str) -> bool:
        return (not self.kinds or kind in self.kinds) and (not self.tag or kind not in ("intention", "checkin"))

    @property
    def any(self) -> bool:
        return bool(self.kinds or self.session or self.since or self.until or self.tag)


@dataclass
class Result:
    kind: str
    pk: int
    at: datetime
    snippet: str
    score: float
    title: str = ""
    private: bool = False
    session_id: int | None = None
    session_number: int | None = None
    day: int | None = None
    # The page's URL name and arguments; `url` resolves them only when asked, since resolving loads
    # every view module (PyAV, NumPy: ~0.4 s and 40 MB) and the CLI's `search` never shows a link.
    route: tuple[str, int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return reverse(self.route[0], args=[self.route[1]]) if self.route else ""

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def when(self) -> str:
        """'Day 2 after session 3', or '' before any session."""
        return day_label(self.day, self.session_number)

    @property
    def html(self) -> SafeString:
        return highlight(self.snippet)


def highlight(snippet: str) -> SafeString:
    """A snippet made with HTML_MARKS as safe HTML: the text escaped first, then the marks added."""
    opened = 0
    parts: list[str] = []
    for char in snippet:
        if char == HTML_MARKS[0] and not opened:
            parts.append("<mark>")
            opened = 1
        elif char == HTML_MARKS[1] and opened:
            parts.append("</mark>")
            opened = 0
        elif char not in HTML_MARKS:
            parts.append(html.escape(char))
    if opened:
        parts.append("</mark>")
    return mark_safe("".join(parts))


def check_query(query: str) -> str:
    """The FTS5 expression for `query`; raises BadQuery with a kind message when there is nothing to search."""
    if len(query) > MAX_QUERY:
        raise BadQuery(f"That search is {len(query):,} characters long; please use up to {MAX_QUERY}.")
    expression = fts.expression_for(query)
    if not expression:
        if query.strip():
            raise BadQuery("That search has no words in it; give at least one word you remember writing.")
        raise BadQuery("Type at least one word to search for.")
    return expression


def session_filter(owner: Any, session_id: int, sessions: Sessions | None = None) -> tuple[Mark, datetime | None]:
    """The owner's session with this pk, and the next one's start; raises BadQuery if there is none."""
    sessions = sessions or Sessions.of(owner)
    mark = sessions.get(session_id)
    if mark is None:
        raise BadQuery("That session is not in this journal.")
    following = sessions.after(mark)
    return mark, following.started_at if following else None


def find(
    owner: Any, query: str, filters: Filters | None = None, *, limit: int = DEFAULT_LIMIT, marks: tuple[str, str] = HTML_MARKS
) -> list[Result]:
    """The owner's writing of every kind that matches `query`, best first (at most `limit`)."""
    expression = check_query(query)
    filters = filters or Filters()
    if limit <= 0:
        return []
    owner_id = getattr(owner, "pk", owner)
    if filters.tag:
        filters = replace(filters, sealed_tagged=tuple(sealed_tagged(owner_id, filters.tag)))
    found: list[Result] = []
    if any(filters.wants(k) for k in ENTRY_KINDS):
        found += _entries(owner_id, expression, filters, limit, marks)
        found += _sealed_entries(owner_id, query, filters, marks)
    for kind in ("drawing", "photo"):
        if filters.wants(kind):
            found += _pictures(owner_id, kind, expression, filters, limit, marks)
            found += _sealed_pictures(owner_id, kind, query, filters, marks)
    if filters.wants("capture"):
        found += _captures(owner_id, expression, filters, limit, marks)
    if filters.wants("intention"):
        found += _intentions(owner_id, expression, filters, limit, marks)
    if filters.wants("checkin"):
        found += _checkins(owner_id, expression, filters, limit, marks)
    found.sort(key=lambda r: (r.score, -r.at.timestamp()))
    found = found[:limit]
    _place(owner, found)
    return found


# --- the sources --------------------------------------------------------------------------


def _snippet(table: str, marks: tuple[str, str]) -> str:
    return f"snippet({table}, -1, '{marks[0]}', '{marks[1]}', '…', {fts.SNIPPET_TOKENS})"


# One source's index as SQL pieces, so each query below is written once for both databases:
# FTS5 joins its index table by rowid and MATCHes; PostgreSQL tests the row's own tsvector.
# In both, the one %s of the query's expression comes before every other parameter.


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _source(fts_index: fts.FtsIndex, table: str, alias: str) -> str:
    if _pg():
        return f"{table} AS {alias} CROSS JOIN to_tsquery('{search_pg.CONFIG}', %s) AS q"
    return f"{fts_index.table} JOIN {table} AS {alias} ON {alias}.id = {fts_index.table}.rowid"


def _match(fts_index: fts.FtsIndex, alias: str) -> str:
    return f"{alias}.{search_pg.COLUMN} @@ q" if _pg() else f"{fts_index.table} MATCH %s"


def _score(fts_index: fts.FtsIndex, alias: str) -> str:
    return f"-ts_rank({alias}.{search_pg.COLUMN}, q)" if _pg() else f"bm25({fts_index.table})"


def _snip(fts_index: fts.FtsIndex, alias: str, marks: tuple[str, str]) -> str:
    if _pg():
        return _PG_INDEXES[fts_index.table].headline(alias, marks, fts.SNIPPET_TOKENS)
    return _snippet(fts_index.table, marks)


_PG_INDEXES = {
    fts.ENTRIES.table: search_pg.ENTRIES,
    CAPTIONS.table: PG_CAPTIONS,
    fts.CAPTURES.table: search_pg.CAPTURES,
    fts.INTENTIONS.table: search_pg.INTENTIONS,
    fts.CHECKINS.table: search_pg.CHECKINS,
}


def _stamp(value: datetime) -> str:
    return str(connection.ops.adapt_datetimefield_value(value))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _range(column: str, filters: Filters, params: list[Any]) -> str:
    sql = ""
    if filters.since:
        sql += f" AND {column} >= %s"
        params.append(_stamp(_day_start(filters.since)))
    if filters.until:
        sql += f" AND {column} < %s"
        params.append(_stamp(_day_start(filters.until + timedelta(days=1))))
    return sql


def _period(column: str, filters: Filters, params: list[Any]) -> str:
    """Rows written in the filtered session's period (from its start to the next session's)."""
    assert filters.session is not None
    params.append(_stamp(filters.session.started_at))
    sql = f"{column} >= %s"
    if filters.session_end:
        params.append(_stamp(filters.session_end))
        sql += f" AND {column} < %s"
    return sql


def _entry_conditions(owner_id: int, filters: Filters, params: list[Any]) -> str:
    sql = ""
    kinds = [k for k in ENTRY_KINDS if filters.wants(k)]
    if len(kinds) < len(ENTRY_KINDS):
        sql += " AND (" + " OR ".join(_ENTRY_KIND_SQL[k] for k in kinds) + ")"
    sql += _range("e.created_at", filters, params)
    if filters.session:
        session_params: list[Any] = [filters.session.pk]
        period = _period("e.created_at", filters, session_params)
        sql += f" AND (e.session_id = %s OR (e.session_id IS NULL AND {period}))"
        params += session_params
    if filters.tag:
        # A clinic's private entries carry their tags sealed: those this request opens are listed by id.
        hidden = filters.sealed_tagged
        also = f" OR e.id IN ({', '.join(['%s'] * len(hidden))})" if hidden else ""
        sql += f" AND (e.id IN (SELECT entry_id FROM tags_tag WHERE owner_id = %s AND name = %s AND entry_id IS NOT NULL){also})"
        params += [owner_id, filters.tag, *hidden]
    return sql


def _entry_kind(mode: str) -> str:
    return {"voice": "voice", "guided": "prompt"}.get(mode, "entry")


def _entries(owner_id: int, expression: str, filters: Filters, limit: int, marks: tuple[str, str]) -> list[Result]:
    if not filters.any:
        # The common case keeps the tuned path of `search.py` (ranked among the newest matches).
        ranked = fts._ranked(owner_id, expression, limit, marks)
    elif _pg():
        params: list[Any] = []
        conditions = _entry_conditions(owner_id, filters, params)
        return _entries_pg(owner_id, expression, conditions, params, limit, marks)
    else:
        ranked = _ranked_filtered(owner_id, expression, filters, limit, marks)
    if not ranked:
        return []
    ids = list(ranked)
    sql = (
        "SELECT e.id, e.created_at, e.session_id, e.mode, e.title, e.prompt_text, e.private, e.uid FROM journal_entry AS e "
        f"WHERE e.id IN ({', '.join(['%s'] * len(ids))}) AND e.owner_id = %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*ids, owner_id])
        rows = cur.fetchall()
    return [_entry_result(row, *ranked[int(row[0])]) for row in rows]


def _ranked_filtered(
    owner_id: int, expression: str, filters: Filters, limit: int, marks: tuple[str, str]
) -> dict[int, tuple[float, str]]:
    """The best entries that pass the filters: entry id → (bm25 score, snippet).

    The filters are tested on the search-facets index (id, owner, time, kind, session), which
    `INDEXED BY` makes SQLite use instead of the entry's own row: the index's pages are few and
    stay decrypted in the page cache, where each entry's row (with its text) is a page of its own
    to read and decrypt. CROSS JOIN keeps the full-text index as the outer loop: SQLite would
    otherwise walk every entry of the owner and run the MATCH once for each.
    """
    t = fts.ENTRIES.table
    params: list[Any] = []
    weights = ", ".join(str(w) for w in fts.BM25_WEIGHTS)
    conditions = _entry_conditions(owner_id, filters, params)
    source = (
        f"FROM {t} CROSS JOIN journal_entry AS e INDEXED BY {SEARCH_FACETS} ON e.id = {t}.rowid "
        f"WHERE {t} MATCH %s AND e.owner_id = %s{conditions}"
    )
    with connection.cursor() as cur:
        # As in `search._ranked`: a common word is ranked among its newest FILTERED_CANDIDATES
        # matches (those that pass the filters), so a filtered search stays quick too.
        cur.execute(
            f"SELECT {t}.rowid {source} ORDER BY {t}.rowid DESC LIMIT 1 OFFSET %s",
            [expression, owner_id, *params, FILTERED_CANDIDATES - 1],
        )
        row = cur.fetchone()
        sql = (
            f"SELECT {t}.rowid, bm25({t}, {weights}) AS score, {_snippet(t, marks)} {source} AND {t}.rowid >= %s "
            f"ORDER BY score, {t}.rowid DESC LIMIT %s"
        )
        cur.execute(sql, [expression, owner_id, *params, row[0] if row else 0, limit])
        return {int(pk): (float(score), snippet or "") for pk, score, snippet in cur.fetchall()}


def _entries_pg(
    owner_id: int, expression: str, conditions: str, params: list[Any], limit: int, marks: tuple[str, str]
) -> list[Result]:
    # The GIN index and the owner's rows narrow the matches; no candidate window is needed.
    index = fts.ENTRIES
    sql = (
        f"SELECT e.id, e.created_at, e.session_id, e.mode, e.title, e.prompt_text, e.private, e.uid, "
        f"{_score(index, 'e')} AS score, {_snip(index, 'e', marks)} FROM {_source(index, 'journal_entry', 'e')} "
        f"WHERE {_match(index, 'e')} AND e.owner_id = %s{conditions} ORDER BY score, e.id DESC LIMIT %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [expression, owner_id, *params, limit])
        return [_entry_result(row[:8], float(row[8]), row[9] or "") for row in cur.fetchall()]


_WORD = re.compile(r"[^\W_]+")
SEALED_SNIPPET = 120  # characters around the first word found in a sealed entry


def _sealed_entries(owner_id: int, query: str, filters: Filters, marks: tuple[str, str]) -> list[Result]:
    """A clinic's private entries whose words (opened here, for their patient only) hold every word of the query.

    The database cannot search sealed words, so each of the patient's sealed entries that passes the
    filters is opened in memory and read; a clinician's request opens none, so finds none.
    """
    if not private.applies():
        return []
    words = [w.casefold() for w in _WORD.findall(query)]
    params: list[Any] = [owner_id]
    conditions = _entry_conditions(owner_id, filters, params)
    sql = (
        "SELECT e.id, e.created_at, e.session_id, e.mode, e.title, e.prompt_text, e.private, e.uid, e.sealed "
        f"FROM journal_entry AS e WHERE e.owner_id = %s AND e.sealed <> ''{conditions}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    found: list[Result] = []
    for row in rows:
        title, text = private.open_words(row[7], owner_id, "", "", row[8])
        snippet = _sealed_snippet(f"{title}\n{text}", words, marks)
        if snippet is not None:
            found.append(_entry_result((*row[:4], title, *row[5:8]), 0.0, snippet))
    return found


def _sealed_snippet(text: str, words: list[str], marks: tuple[str, str]) -> str | None:
    """A few words around the first query word, marked; None unless every word is there (as a word's start)."""
    starts = [re.search(rf"(?<![^\W_]){re.escape(w)}", text, re.IGNORECASE) for w in words]
    if not words or any(m is None for m in starts):
        return None
    first = min((m for m in starts if m is not None), key=lambda m: m.start())
    begin, end = max(0, first.start() - SEALED_SNIPPET // 2), first.end() + SEALED_SNIPPET // 2
    before, hit, after = text[begin : first.start()], text[first.start() : first.end()], text[first.end() : end]
    return f"{'…' if begin else ''}{before}{marks[0]}{hit}{marks[1]}{after}{'…' if end < len(text) else ''}"


def _entry_result(row: tuple[Any, ...], score: float, snippet: str) -> Result:
    pk, created_at, session_id, mode, title, prompt_text, private, uid = row
    return Result(
        kind=_entry_kind(mode),
        pk=int(pk),
        at=_aware(created_at),
        snippet=" ".join(snippet.split()),
        score=score,
        title=title or prompt_text or "",
        private=bool(private),
        session_id=session_id,
        route=("entry", pk),
        extra={"uid": str(uuid.UUID(str(uid)))},
    )


def _where_only(filters: Filters) -> Filters:
    """The filters on where and when a picture's entry sits (any kind of entry holds pictures)."""
    return Filters(
        session=filters.session,
        session_end=filters.session_end,
        since=filters.since,
        until=filters.until,
        tag=filters.tag,
        sealed_tagged=filters.sealed_tagged,
    )


def _pictures(owner_id: int, kind: str, expression: str, filters: Filters, limit: int, marks: tuple[str, str]) -> list[Result]:
    params: list[Any] = []
    conditions = _entry_conditions(owner_id, _where_only(filters), params)
    index = CAPTIONS
    sql = (
        f"SELECT p.id, p.created_at, e.session_id, e.title, e.private, {_score(index, 'p')} AS score, {_snip(index, 'p', marks)} "
        f"FROM {_source(index, 'media_picture', 'p')} JOIN journal_entry AS e ON e.id = p.entry_id "
        f"WHERE {_match(index, 'p')} AND p.owner_id = %s AND p.kind = %s{conditions} "
        "ORDER BY score, p.id DESC LIMIT %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [expression, owner_id, kind, *params, limit])
        rows = cur.fetchall()
    name = "drawing" if kind == "drawing" else "picture"
    return [
        Result(
            kind=kind,
            pk=int(pk),
            at=_aware(at),
            snippet=" ".join((snip or "").split()),
            score=float(score),
            title=title or "",
            private=bool(private),
            session_id=session_id,
            route=(name, pk),
        )
        for pk, at, session_id, title, private, score, snip in rows
    ]


def _sealed_pictures(owner_id: int, kind: str, query: str, filters: Filters, marks: tuple[str, str]) -> list[Result]:
    """A clinic's private pictures whose captions (opened here, for their patient only) hold every word of the query.

    As with sealed entries: the caption index holds none of their words, so each sealed caption of the
    patient's is opened in memory and read; a request without their key opens none, so finds none.
    """
    if not private.applies():
        return []
    words = [w.casefold() for w in _WORD.findall(query)]
    params: list[Any] = [owner_id, kind]
    conditions = _entry_conditions(owner_id, _where_only(filters), params)
    sql = (
        "SELECT p.id, p.created_at, e.session_id, p.uid, p.caption_sealed FROM media_picture AS p "
        "JOIN journal_entry AS e ON e.id = p.entry_id "
        f"WHERE p.owner_id = %s AND p.kind = %s AND p.caption_sealed IS NOT NULL{conditions}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    name = "drawing" if kind == "drawing" else "picture"
    found: list[Result] = []
    for pk, at, session_id, uid, sealed in rows:
        snippet = _sealed_snippet(sealing.open_caption(uid, owner_id, "", sealed), words, marks)
        if snippet is not None:
            found.append(
                Result(kind=kind, pk=int(pk), at=_aware(at), snippet=" ".join(snippet.split()), score=0.0, title="",
                       private=True, session_id=session_id, route=(name, pk))
            )  # fmt: skip
    return found


def _captures(owner_id: int, expression: str, filters: Filters, limit: int, marks: tuple[str, str]) -> list[Result]:
    t = fts.CAPTURES
    params: list[Any] = []
    sql = _range("c.created_at", filters, params)
    if filters.session:
        sql += " AND c.session_id = %s"
        params.append(filters.session.pk)
    if filters.tag:
        sql += " AND c.id IN (SELECT capture_id FROM tags_tag WHERE owner_id = %s AND name = %s AND capture_id IS NOT NULL)"
        params += [owner_id, filters.tag]
    query = (
        f"SELECT c.id, c.created_at, c.session_id, {_score(t, 'c')} AS score, {_snip(t, 'c', marks)} "
        f"FROM {_source(t, 'journal_capture', 'c')} "
        f"WHERE {_match(t, 'c')} AND c.owner_id = %s{sql} ORDER BY score, c.id DESC LIMIT %s"
    )
    rows = _ranked(query, [expression, owner_id, *params, limit])
    return [
        Result(
            kind="capture",
            pk=int(pk),
            at=_aware(at),
            snippet=" ".join((snip or "").split()),
            score=float(score),
            session_id=session_id,
            route=("capture_summary", session_id),
        )
        for pk, at, session_id, score, snip in rows
    ]


def _intentions(owner_id: int, expression: str, filters: Filters, limit: int, marks: tuple[str, str]) -> list[Result]:
    t = fts.INTENTIONS
    params: list[Any] = []
    sql = _range("i.created_at", filters, params)
    if filters.session:
        sql += " AND i.session_id = %s"
        params.append(filters.session.pk)
    # The column that matched best picks the page: the intention itself, or its revisit.
    query = (
        f"SELECT i.id, i.created_at, i.session_id, i.prompt_text, {_score(t, 'i')} AS score, {_snip(t, 'i', marks)}, "
        f"i.revisit_note != '' OR i.evolution_note != '' "
        f"FROM {_source(t, 'journal_intention', 'i')} "
        f"WHERE {_match(t, 'i')} AND i.owner_id = %s{sql} ORDER BY score, i.id DESC LIMIT %s"
    )
    rows = _ranked(query, [expression, owner_id, *params, limit])
    results = []
    for pk, at, session_id, prompt_text, score, snip, revisited in rows:
        snippet = " ".join((snip or "").split())
        page = "revisit" if revisited and not _in_column(expression, pk, "text") else "intention"
        results.append(
            Result(
                kind="intention",
                pk=int(pk),
                at=_aware(at),
                snippet=snippet,
                score=float(score),
                title=prompt_text or "",
                session_id=session_id,
                route=(page, session_id),
            )
        )
    return results


def _ranked(query: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def _in_column(expression: str, rowid: int, column: str) -> bool:
    t = fts.INTENTIONS.table
    if _pg():
        config = search_pg.CONFIG
        sql = f"SELECT 1 FROM journal_intention WHERE id = %s AND to_tsvector('{config}', {column}) @@ to_tsquery('{config}', %s)"
        with connection.cursor() as cur:
            cur.execute(sql, [rowid, expression])
            return cur.fetchone() is not None
    with connection.cursor() as cur:
        cur.execute(f"SELECT 1 FROM {t} WHERE {t} MATCH %s AND rowid = %s", [f"{column} : ({expression})", rowid])
        return cur.fetchone() is not None


def _checkins(owner_id: int, expression: str, filters: Filters, limit: int, marks: tuple[str, str]) -> list[Result]:
    t = fts.CHECKINS
    params: list[Any] = []
    sql = _range("k.at", filters, params)
    if filters.session:
        sql += " AND " + _period("k.at", filters, params)
    query = (
        f"SELECT k.id, k.at, {_score(t, 'k')} AS score, {_snip(t, 'k', marks)} "
        f"FROM {_source(t, 'journal_checkin', 'k')} "
        f"WHERE {_match(t, 'k')} AND k.owner_id = %s{sql} ORDER BY score, k.id DESC LIMIT %s"
    )
    rows = _ranked(query, [expression, owner_id, *params, limit])
    return [
        Result(
            kind="checkin",
            pk=int(pk),
            at=_aware(at),
            snippet=" ".join((snip or "").split()),
            score=float(score),
            route=("checkin_edit", pk),
        )
        for pk, at, score, snip in rows
    ]


def _aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value  # type: ignore[no-any-return]


def _place(owner: Any, results: Iterable[Result]) -> None:
    """Give each result its session and day: the session it belongs to, or the latest before it."""
    results = list(results)
    if not results:
        return
    sessions = Sessions.of(owner)
    starts = [m.started_at for m in sessions.all]
    for r in results:
        mark = sessions.get(r.session_id)
        if mark is None:
            i = bisect.bisect_right(starts, r.at)
            mark = sessions.all[i - 1] if i else None
        if mark is not None:
            r.session_id = mark.pk
            r.session_number = mark.number
            r.day = day_after(mark.day, timezone.localdate(r.at))
