"""PostgreSQL's own parts of search: the tsvector columns kept in step, filled for older rows, and used."""

from __future__ import annotations

import pytest
from django.db import connection

from afterglow.journal import search as fts
from afterglow.journal import search_pg
from afterglow.journal.entries import create_entry
from afterglow.pages.everywhere import find
from tests.search.sources import CANARIES, plant

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]


def test_rows_written_before_the_index_existed_are_found_after_the_migration(patient):
    made = plant(patient)
    with connection.cursor() as cur:  # the foreign keys' checks, deferred to the commit, run now
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    search_pg.drop(connection)
    search_pg.ensure(connection)
    for kind in ("entry", "photo", "capture", "intention", "checkin"):
        [result] = find(patient, CANARIES[kind])
        assert result.pk == made[kind].pk


def test_the_trigger_refills_the_vector_only_from_the_indexed_columns(patient):
    entry = create_entry(patient, "a kestrel hovering")
    with connection.cursor() as cur:
        cur.execute("UPDATE journal_entry SET private = true WHERE id = %s", [entry.pk])
        cur.execute("SELECT search_tsv::text FROM journal_entry WHERE id = %s", [entry.pk])
        assert "kestrel" in cur.fetchone()[0]
        cur.execute("UPDATE journal_entry SET text = 'a buzzard' WHERE id = %s", [entry.pk])
    assert [h.entry_id for h in fts.search(patient, "buzzard")] == [entry.pk] and fts.search(patient, "kestrel") == []


def test_it_keeps_stop_words_and_folds_accents_like_fts5(patient):
    entry = create_entry(patient, "The way it was, at the café")
    assert [h.entry_id for h in fts.search(patient, '"the way"')] == [entry.pk]
    assert [h.entry_id for h in fts.search(patient, "cafe")] == [entry.pk]


def test_a_query_of_tsquery_syntax_is_only_text(patient):
    create_entry(patient, "plain words")
    for query in ["!plain", "plain & | ! <-> :*", "'; DROP TABLE journal_entry; --", "(plain"]:
        assert [h.snippet for h in fts.search(patient, query)] in ([], ["[plain] words"])
    assert search_pg.tsquery(fts.terms("it's a:b*")) == "('it' <-> 's') & ('a' <-> 'b':*)"


def test_the_gin_index_serves_the_search(patient):
    with connection.cursor() as cur:
        cur.execute("SET enable_seqscan = off")
        cur.execute("EXPLAIN SELECT id FROM journal_entry WHERE search_tsv @@ to_tsquery('afterglow', 'walk')")
        plan = " ".join(row[0] for row in cur.fetchall())
        cur.execute("SET enable_seqscan = on")
    assert "journal_entry_tsv_gin" in plan
