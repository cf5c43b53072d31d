"""Full-text search over a patient's entries: ranked hits with a marked snippet.

On PostgreSQL (clinic mode) each searched table has a tsvector column with a GIN index
instead, behind the same functions: see `search_pg`. On SQLite/SQLCipher the index is an FTS5 external-content table over
`journal_entry` (title, prompt text, text), kept in step by triggers that the
`0002_search` migration creates. Domains above the journal add their own
indexes that lead to entries (media: the captions of drawings and photos, see
`afterglow/media/search.py`) with `add_index()` from their app's `ready()`,
so the journal names no table of theirs. The indexes store tokens, not a
second copy of the text, and live inside the encrypted database like
everything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from afterglow.journal import search_pg
from afterglow.journal.models import Entry
from afterglow.journal.search_pg import CAPTURE_COLUMNS  # one list of a capture's searched answers, for both databases

SNIPPET_TOKENS = 14
# How many of the newest matches a very common query is ranked among (see _ranked).
RANK_CANDIDATES = 2000
PLAIN_MARKS = ("[", "]")


@dataclass(frozen=True)
class FtsIndex:
    """An FTS5 external-content index over text columns of one table, kept in step by triggers.

    The index stores tokens, not a second copy of the text. `porter` folds
    "feeling"/"feels" into "feel"; remove_diacritics lets "cafe" find "café".
    """

    table: str
    content: str
    columns: tuple[str, ...]

    @property
    def create(self) -> str:
        return (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
            f"{', '.join(self.columns)}, content='{self.content}', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2', prefix='3 4')"
        )

    @property
    def triggers(self) -> dict[str, str]:
        t, cols = self.table, ", ".join(self.columns)
        new = ", ".join(f"new.{c}" for c in self.columns)
        old = ", ".join(f"old.{c}" for c in self.columns)
        # An external-content FTS5 table must be told the old values to remove them; and it is
        # told only when indexed columns change (ticking `private`, an autosave of the same text,
        # a drawing's new strokes leave the index alone).
        return {
            f"{t}_ai": (
                f"CREATE TRIGGER IF NOT EXISTS {t}_ai AFTER INSERT ON {self.content} BEGIN "
                f"INSERT INTO {t}(rowid, {cols}) VALUES (new.id, {new}); END"
            ),
            f"{t}_ad": (
                f"CREATE TRIGGER IF NOT EXISTS {t}_ad AFTER DELETE ON {self.content} BEGIN "
                f"INSERT INTO {t}({t}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
            ),
            f"{t}_au": (
                f"CREATE TRIGGER IF NOT EXISTS {t}_au AFTER UPDATE OF {cols} ON {self.content} BEGIN "
                f"INSERT INTO {t}({t}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                f"INSERT INTO {t}(rowid, {cols}) VALUES (new.id, {new}); END"
            ),
        }

    def ensure(self, conn: BaseDatabaseWrapper, *, repair_only: bool = False) -> bool:
        """Create the table and its triggers where missing and refill the index; True if it did.

        Django rebuilds a SQLite table for many schema changes (copy, drop, rename),
        and dropping the content table drops its triggers with it. Each app runs this
        with `repair_only` after every migrate, so a later model change can never
        leave search silently stale.
        """
        if conn.vendor != "sqlite":
            return False
        triggers = self.triggers
        with conn.cursor() as cur:
            cur.execute("SELECT name FROM sqlite_master WHERE name = %s OR type = 'trigger'", [self.table])
            present = {row[0] for row in cur.fetchall()}
            if repair_only and self.table not in present:
                return False  # the index's migration has not run (yet); nothing to repair
            if all(name in present for name in (self.table, *triggers)):
                return False
            cur.execute(self.create)
            for sql in triggers.values():
                cur.execute(sql)
            cur.execute(f"INSERT INTO {self.table}({self.table}) VALUES ('rebuild')")
        return True

    def drop(self, conn: BaseDatabaseWrapper) -> None:
        if conn.vendor != "sqlite":
            return
        with conn.cursor() as cur:
            for name in self.triggers:
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")
            cur.execute(f"DROP TABLE IF EXISTS {self.table}")


# Entries: column order matters, as bm25 weights follow it. A word in a title says more about
# an entry than the same word in its text; a prompt is shared by many entries, so it says less.
ENTRIES = FtsIndex("journal_entry_fts", "journal_entry", ("text", "prompt_text", "title"))
BM25_WEIGHTS = (1.0, 0.4, 2.5)

# What else a patient writes (issue 15): the quick capture's answers, intentions with how they
# were revisited and evolved, and check-in notes. Each its own index, kept the same way.
CAPTURES = FtsIndex("journal_capture_fts", "journal_capture", CAPTURE_COLUMNS)
INTENTIONS = FtsIndex("journal_intention_fts", "journal_intention", ("text", "revisit_note", "evolution_note"))
CHECKINS = FtsIndex("journal_checkin_fts", "journal_checkin", ("note",))
# The journal's own indexes; `all_indexes()` adds those of the domains above (post_migrate repairs them all).
JOURNAL_INDEXES = (ENTRIES, CAPTURES, INTENTIONS, CHECKINS)

# owner, MATCH expression, limit, marks -> entry id -> (bm25 score, snippet): entries found through another index.
EntryMatcher = Callable[[Any, str, int, tuple[str, str]], dict[int, tuple[float, str]]]
_added: dict[str, tuple[FtsIndex, EntryMatcher]] = {}


def add_index(index: FtsIndex, matcher: EntryMatcher) -> None:
    """An index of a domain above whose matches `search()` reports as the entries they belong to."""
    _added[index.table] = (index, matcher)


def all_indexes() -> tuple[FtsIndex, ...]:
    return (*JOURNAL_INDEXES, *(index for index, _ in _added.values()))


FTS_TABLE, FTS_COLUMNS, FTS_CREATE, FTS_TRIGGERS = ENTRIES.table, ENTRIES.columns, ENTRIES.create, ENTRIES.triggers


class SearchUnavailable(RuntimeError):
    """This database has no full-text index Afterglow knows how to use."""


@dataclass(frozen=True)
class Hit:
    entry_id: int
    uid: str
    created_at: datetime
    session_number: int | None
    title: str
    prompt_text: str
    private: bool
    snippet: str
    score: float  # lower is better (bm25), only meaningful within one result list


# --- the index (SQLite) -----------------------------------------------------------


def ensure_index(conn: BaseDatabaseWrapper | None = None, *, repair_only: bool = False) -> bool:
    """The entries' index (see `FtsIndex.ensure`); the search migration and post_migrate call it."""
    return ENTRIES.ensure(conn or connection, repair_only=repair_only)


def drop_index(conn: BaseDatabaseWrapper | None = None) -> None:
    ENTRIES.drop(conn or connection)


# --- queries ---------------------------------------------------------------------

# A double-quoted phrase, or a run of anything else up to whitespace.
_QUERY_PARTS = re.compile(r'"([^"]*)"?|(\S+)')
_HAS_WORD = re.compile(r"[^\W_]")


def terms(query: str) -> list[tuple[str, bool]]:
    """What to look for in `query`: each "quoted phrase" or word, and whether it ends in * (a beginning)."""
    found: list[tuple[str, bool]] = []
    for phrase, word in _QUERY_PARTS.findall(query):
        text = phrase or word
        prefix = bool(word) and word.endswith("*")
        text = text.rstrip("*") if prefix else text
        if _HAS_WORD.search(text):
            found.append((text, prefix))
    return found


def match_expression(query: str) -> str:
    """Any text a person types, as a safe FTS5 MATCH expression ('' if nothing to look for).

    Every word becomes a quoted string, so FTS5 syntax (AND, NEAR, -, :, ^, *,
    parentheses) is just text. What is kept: "quoted phrases" and a trailing *
    for a prefix. Words are all required, like most search boxes.
    """
    return " ".join('"' + text.replace('"', '""') + '"' + ("*" if prefix else "") for text, prefix in terms(query))


def expression_for(query: str) -> str:
    """The query in the language of this database's index: FTS5 MATCH, or tsquery on PostgreSQL."""
    if connection.vendor == "postgresql":
        return search_pg.tsquery(terms(query))
    if connection.vendor != "sqlite":
        raise SearchUnavailable(f"full-text search is not available on {connection.vendor}")
    return match_expression(query)


def search(owner: Any, query: str, limit: int = 20, *, marks: tuple[str, str] = PLAIN_MARKS) -> list[Hit]:
    """The owner's entries that match `query`, best first, each with a snippet whose matches sit inside `marks`."""
    expression = expression_for(query)
    if not expression or limit <= 0:
        return []
    # An entry found both by its words and by a picture's caption keeps its better score and
    # the snippet of its own words.
    found = _added_matches(owner, expression, limit, marks)
    for entry_id, (score, snippet) in _ranked(owner, expression, limit, marks).items():
        caption_score = found[entry_id][0] if entry_id in found else score
        found[entry_id] = (min(score, caption_score), snippet)
    best = sorted(found.items(), key=lambda pair: (pair[1][0], -pair[0]))[:limit]
    if not best:
        return []
    rows = _entry_rows([entry_id for entry_id, _ in best])
    return [_hit(rows[entry_id], snippet, score) for entry_id, (score, snippet) in best if entry_id in rows]


def _ranked(owner: Any, expression: str, limit: int, marks: tuple[str, str]) -> dict[int, tuple[float, str]]:
    """The best matching entries: entry id → (bm25 score, snippet), best first.

    Ranking cost grows with the number of matches, and a word in every third
    entry matches tens of thousands. Such a query is ranked among its newest
    RANK_CANDIDATES matches (a rowid range FTS5 seeks to), which keeps a search
    in milliseconds at any journal size and favours recent writing. The snippet
    is made in the same query: a query of its own for the rows shown would set
    up the whole MATCH again, which for a phrase of common words is most of the
    time a search takes.
    """
    owner_id = getattr(owner, "pk", owner)
    if connection.vendor == "postgresql":
        return _ranked_pg(owner_id, expression, limit, marks)
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    columns = f"bm25({FTS_TABLE}, {weights}) AS score, snippet({FTS_TABLE}, -1, %s, %s, '…', {SNIPPET_TOKENS})"
    with connection.cursor() as cur:
        if _sole_owner(cur, owner_id):
            cur.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s",
                [expression, RANK_CANDIDATES - 1],
            )
            row = cur.fetchone()
            sql = (
                f"SELECT rowid, {columns} FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s AND rowid >= %s ORDER BY score, rowid DESC LIMIT %s"
            )
            cur.execute(sql, [*marks, expression, row[0] if row else 0, limit])
        else:
            # Several patients in one SQLite file (tests, a shared machine): filter, rank all.
            sql = (
                f"SELECT {FTS_TABLE}.rowid, {columns} FROM {FTS_TABLE} "
                f"JOIN journal_entry AS e ON e.id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH %s AND e.owner_id = %s ORDER BY score, {FTS_TABLE}.rowid DESC LIMIT %s"
            )
            cur.execute(sql, [*marks, expression, owner_id, limit])
        return {int(row[0]): (float(row[1]), row[2] or "") for row in cur.fetchall()}


def _ranked_pg(owner_id: int, expression: str, limit: int, marks: tuple[str, str]) -> dict[int, tuple[float, str]]:
    # The GIN index finds the owner's matches; ts_rank weighs title over text over prompt, as bm25 does.
    sql = (
        f"SELECT e.id, -ts_rank(e.{search_pg.COLUMN}, q) AS score, {search_pg.ENTRIES.headline('e', marks, SNIPPET_TOKENS)} "
        f"FROM journal_entry AS e CROSS JOIN to_tsquery('{search_pg.CONFIG}', %s) AS q "
        f"WHERE e.{search_pg.COLUMN} @@ q AND e.owner_id = %s ORDER BY score, e.id DESC LIMIT %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [expression, owner_id, limit])
        return {int(row[0]): (float(row[1]), row[2] or "") for row in cur.fetchall()}


def _sole_owner(cur: Any, owner_id: int) -> bool:
    # Two seeks on the (owner, created_at) index, whatever the journal's size.
    cur.execute(
        "SELECT EXISTS (SELECT 1 FROM journal_entry WHERE owner_id < %s) "
        "OR EXISTS (SELECT 1 FROM journal_entry WHERE owner_id > %s)",
        [owner_id, owner_id],
    )
    return not cur.fetchone()[0]


def _added_matches(owner: Any, expression: str, limit: int, marks: tuple[str, str]) -> dict[int, tuple[float, str]]:
    found: dict[int, tuple[float, str]] = {}
    for _, matcher in _added.values():
        for entry_id, hit in matcher(owner, expression, limit, marks).items():
            if entry_id not in found or hit[0] < found[entry_id][0]:
                found[entry_id] = hit
    return found


def _entry_rows(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    fields = ("id", "uid", "created_at", "session__number", "title", "prompt_text", "private")
    return {row[0]: row for row in Entry.objects.filter(pk__in=ids).values_list(*fields)}


def _hit(row: tuple[Any, ...], snippet: str, score: float) -> Hit:
    entry_id, uid, created_at, session_number, title, prompt_text, private = row
    return Hit(
        entry_id=entry_id,
        uid=str(uid),
        created_at=created_at,
        session_number=session_number,
        title=title,
        prompt_text=prompt_text,
        private=bool(private),
        snippet=" ".join(snippet.split()),
        score=score,
    )
