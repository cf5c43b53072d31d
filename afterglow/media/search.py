"""Search over the captions of drawings and photos: a match finds the entry that holds the picture.

An FTS5 index kept in step by triggers (`0003_caption_search`), and on PostgreSQL (clinic mode) a
tsvector column kept in step the same way (journal/search_pg.py); both are added to the journal's
search from this app's `ready()`.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from afterglow.journal import search_pg
from afterglow.journal.search import SNIPPET_TOKENS, FtsIndex

CAPTIONS = FtsIndex("media_picture_fts", "media_picture", ("caption",))
PG_CAPTIONS = search_pg.TsvIndex(CAPTIONS.content, CAPTIONS.columns, ("B",))


def caption_matches(owner: Any, expression: str, limit: int, marks: tuple[str, str]) -> dict[int, tuple[float, str]]:
    """Entries whose drawings or photos have a matching caption: entry id → (bm25 score, "Photo: …" snippet)."""
    t = CAPTIONS.table
    sql = (
        f"SELECT p.entry_id, p.kind, bm25({t}) AS score, snippet({t}, 0, %s, %s, '…', {SNIPPET_TOKENS}) "
        f"FROM {t} JOIN {CAPTIONS.content} AS p ON p.id = {t}.rowid "
        f"WHERE {t} MATCH %s AND p.owner_id = %s ORDER BY score, p.entry_id DESC LIMIT %s"
    )
    params = [marks[0], marks[1], expression, getattr(owner, "pk", owner), limit]
    if connection.vendor == "postgresql":  # clinic mode: the row's own tsvector (journal/search_pg.py)
        sql = (
            f"SELECT p.entry_id, p.kind, -ts_rank(p.{search_pg.COLUMN}, q) AS score, "
            f"{PG_CAPTIONS.headline('p', marks, SNIPPET_TOKENS)} "
            f"FROM {CAPTIONS.content} AS p CROSS JOIN to_tsquery('{search_pg.CONFIG}', %s) AS q "
            f"WHERE p.{search_pg.COLUMN} @@ q AND p.owner_id = %s ORDER BY score, p.entry_id DESC LIMIT %s"
        )
        params = params[2:]
    found: dict[int, tuple[float, str]] = {}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for entry_id, kind, score, snippet in cur.fetchall():
            found.setdefault(int(entry_id), (float(score), f"{str(kind).capitalize()}: {snippet or ''}"))
    return found
