"""Full-text search on PostgreSQL (clinic mode): the same sources and query language as the FTS5 indexes.

Each searched table gets a `search_tsv` tsvector column with a GIN index, kept in step by a
trigger that fills it from the indexed columns on every insert and on every update of those
columns (a trigger rather than a generated column, so a later migration may still change a
column's type). The text search configuration `afterglow` stems English words like FTS5's porter
tokenizer, folds accents ("cafe" finds "café", with the unaccent extension) and, like FTS5,
drops no stop words, so "the way" still finds "the way".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper

CONFIG = "afterglow"
COLUMN = "search_tsv"
_WORDS = re.compile(r"[^\W_]+")
_LT = "\ue002"  # a private-use character, like the snippet marks


@dataclass(frozen=True)
class TsvIndex:
    """The PostgreSQL counterpart of a `search.FtsIndex`: a tsvector column over `columns` of `content`."""

    content: str
    columns: tuple[str, ...]
    weights: tuple[str, ...]  # one of A, B, C, D per column (A counts most)

    @property
    def vector(self) -> str:
        pairs = zip(self.columns, self.weights, strict=True)
        parts = [f"setweight(to_tsvector('{CONFIG}', coalesce(NEW.{c}, '')), '{w}')" for c, w in pairs]
        return " || ".join(parts)

    @property
    def function(self) -> str:
        return f"{self.content}_tsv"

    def statements(self) -> list[str]:
        t, f = self.content, self.function
        return [
            f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector",
            f"CREATE INDEX IF NOT EXISTS {t}_tsv_gin ON {t} USING gin ({COLUMN})",
            f"CREATE OR REPLACE FUNCTION {f}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.{COLUMN} := {self.vector}; RETURN NEW; END $$",
            f"DROP TRIGGER IF EXISTS {f} ON {t}",
            f"CREATE TRIGGER {f} BEFORE INSERT OR UPDATE OF {', '.join(self.columns)} ON {t} FOR EACH ROW EXECUTE FUNCTION {f}()",
            # Fill the rows written before the index existed (the trigger runs for each).
            f"UPDATE {t} SET {self.columns[0]} = {self.columns[0]}",
        ]

    def drop_statements(self) -> list[str]:
        t, f = self.content, self.function
        return [
            f"DROP TRIGGER IF EXISTS {f} ON {t}",
            f"DROP FUNCTION IF EXISTS {f}()",
            f"ALTER TABLE {t} DROP COLUMN IF EXISTS {COLUMN}",
        ]

    def headline(self, alias: str, marks: tuple[str, str], tokens: int) -> str:
        """A snippet like FTS5's: the best few words around the matches, which sit inside `marks`."""
        text = "concat_ws(' ', " + ", ".join(f"{alias}.{c}" for c in self.columns) + ")"
        options = f'StartSel="{marks[0]}", StopSel="{marks[1]}", MaxWords={tokens * 2}, MinWords={tokens}, ShortWord=0'
        # MaxWords counts the spaces and punctuation between words too, hence twice FTS5's tokens.
        # ts_headline leaves out whatever looks like an HTML tag; a journal's "<3" or "<b>" is text,
        # so '<' stands in disguise while the snippet is cut, then comes back (escaped later, as all text).
        disguised = f"replace({text}, '<', chr({ord(_LT)}))"
        return f"replace(ts_headline('{CONFIG}', {disguised}, q, '{options}'), chr({ord(_LT)}), '<')"


# The same sources as the journal's FTS5 indexes (search.py), and the same emphasis: an entry's
# title counts most and the prompt (shared by many entries) least.
ENTRIES = TsvIndex("journal_entry", ("text", "prompt_text", "title"), ("B", "D", "A"))
# A capture's answers that search reads (search.py's FTS5 index uses the same list).
CAPTURE_COLUMNS = (
    "first_impression",
    "saw_colours",
    "saw_people",
    "saw_places",
    "saw_symbols",
    "heard",
    "felt",
    "sensation_other",
    "insights",
)
CAPTURES = TsvIndex("journal_capture", CAPTURE_COLUMNS, ("B",) * len(CAPTURE_COLUMNS))
INTENTIONS = TsvIndex("journal_intention", ("text", "revisit_note", "evolution_note"), ("B", "B", "B"))
CHECKINS = TsvIndex("journal_checkin", ("note",), ("B",))
# The journal's own; apps above it add theirs from their `ready()` (media's captions, as it adds
# the FTS5 one to search.py), so the journal never names another app's table.
_indexes: list[TsvIndex] = [ENTRIES, CAPTURES, INTENTIONS, CHECKINS]


def add_index(index: TsvIndex) -> None:
    if all(known.content != index.content for known in _indexes):
        _indexes.append(index)


def all_indexes() -> tuple[TsvIndex, ...]:
    return tuple(_indexes)


def create_config(conn: BaseDatabaseWrapper) -> None:
    """The `afterglow` configuration: English stems without stop words, accents folded where unaccent exists."""
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
        if cur.fetchone():
            return
        cur.execute("CREATE TEXT SEARCH DICTIONARY afterglow_stem (TEMPLATE = snowball, Language = english)")
        cur.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english)")
        filters = "afterglow_stem"
        if _unaccent(conn):
            filters = "unaccent, afterglow_stem"
        cur.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR "
            f"asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart WITH {filters}"
        )


def _unaccent(conn: BaseDatabaseWrapper) -> bool:
    # A trusted extension: the database's owner may create it. Where it is missing, accents count.
    with conn.cursor() as cur:
        cur.execute("SAVEPOINT afterglow_unaccent")
        try:
            cur.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        except Exception:
            cur.execute("ROLLBACK TO SAVEPOINT afterglow_unaccent")
            return False
        cur.execute("RELEASE SAVEPOINT afterglow_unaccent")
        return True


def ensure(conn: BaseDatabaseWrapper) -> None:
    if conn.vendor != "postgresql":
        return
    create_config(conn)
    with conn.cursor() as cur:
        for index in all_indexes():
            for sql in index.statements():
                cur.execute(sql)


def drop(conn: BaseDatabaseWrapper) -> None:
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        for index in all_indexes():
            for sql in index.drop_statements():
                cur.execute(sql)
        cur.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
        cur.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS afterglow_stem")


def tsquery(terms: list[tuple[str, bool]]) -> str:
    """The query's terms (text, is-prefix) as to_tsquery input: every term required, phrases in order.

    Only runs of letters and digits reach the query, each single-quoted, so nothing a person types
    is read as tsquery syntax.
    """
    parts: list[str] = []
    for text, prefix in terms:
        words = [f"'{w}'" for w in _WORDS.findall(text)]
        if not words:
            continue
        if prefix:
            words[-1] += ":*"
        parts.append("(" + " <-> ".join(words) + ")")
    return " & ".join(parts)
