"""A filtered search tests its filters on the search-facets index, and the migration that adds it keeps every entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from afterglow.journal.models import SEARCH_FACETS, Entry
from afterglow.pages.everywhere import Filters, find

BEFORE = [("journal", "0008_i11note_checkin_draft")]
AFTER = [("journal", "0009_i21data_entry_search_facets")]


def _entry(owner, text: str, days: int, mode: str = "free", model: type[Entry] = Entry) -> Entry:
    when = timezone.now() - timedelta(days=days)
    return model.objects.create(owner_id=owner.pk, text=text, mode=mode, created_at=when, updated_at=when)


def _historical_entry() -> type[Entry]:
    """The Entry of BEFORE: later migrations add columns the current model would write."""
    return MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("journal", "Entry")


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _recent_free_writing() -> Filters:
    return Filters(kinds=frozenset({"entry"}), since=timezone.localdate() - timedelta(days=365))


@pytest.mark.django_db(transaction=True)
def test_it_finds_entries_written_before_the_facets_migration_with_filters(patient):
    _migrate(BEFORE)
    then = _historical_entry()
    recent = _entry(patient, "the heron stood in the shallows", days=3, model=then)
    old = _entry(patient, "the heron again, years ago", days=900, model=then)
    spoken = _entry(patient, "a heron, said aloud", days=2, mode="voice", model=then)
    _migrate(AFTER)
    # Every app's newest, not only the journal's: going back to BEFORE also unapplied the other apps'
    # migrations that depend on a later journal one, and the tests after this one need their tables.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name = %s", [SEARCH_FACETS])
        assert cur.fetchone() is not None
    assert [r.pk for r in find(patient, "heron", _recent_free_writing())] == [recent.pk]
    assert {r.pk for r in find(patient, "heron")} == {recent.pk, old.pk, spoken.pk}


@pytest.mark.django_db
def test_it_tests_the_filters_on_the_facets_index_without_reading_entry_rows(patient):
    _entry(patient, "a kestrel over the field", days=5)
    statements: list[tuple[str, object]] = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        [found] = find(patient, "kestrel", _recent_free_writing())
    assert found.kind == "entry"
    filtered = [(sql, params) for sql, params in statements if "MATCH" in sql and "journal_entry AS e" in sql]
    assert filtered, "the filtered search ran no full-text query joined to the entries"
    for sql, params in filtered:
        with connection.cursor() as cur:
            cur.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cur.fetchall())
        assert f"COVERING INDEX {SEARCH_FACETS}" in plan, plan
