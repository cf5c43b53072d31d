"""The FTS5 index stays in step with entries; ranking, snippets, and any text as a query."""

from __future__ import annotations

import pytest
from django.db import connection

from afterglow.journal import search as fts
from afterglow.journal.entries import create_entry, save_text
from afterglow.journal.models import Entry

# Run on both backends: here on SQLite FTS5, and in the clinic run on PostgreSQL's tsvector.
pytestmark = pytest.mark.postgres


def ids(hits: list[fts.Hit]) -> list[int]:
    return [h.entry_id for h in hits]


@pytest.mark.sqlite_only
def test_it_creates_the_index_in_the_test_database(db):
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE name LIKE 'journal_entry_fts%'")
        names = {row[0] for row in cur.fetchall()}
    assert {fts.FTS_TABLE, *fts.FTS_TRIGGERS} <= names


def test_it_finds_a_new_entry(patient):
    entry = create_entry(patient, "A heron stood in the shallows")
    assert ids(fts.search(patient, "heron")) == [entry.pk]


def test_it_follows_an_edit(patient):
    entry = create_entry(patient, "The room was blue")
    save_text(entry, "The room was amber")
    assert fts.search(patient, "blue") == []
    assert ids(fts.search(patient, "amber")) == [entry.pk]


def test_it_forgets_a_deleted_entry(patient):
    entry = create_entry(patient, "A lantern in the dark")
    entry.delete()
    assert fts.search(patient, "lantern") == []
    if connection.vendor != "sqlite":
        return  # PostgreSQL's tsvector goes with its row
    with connection.cursor() as cur:  # the index itself agrees with the table
        cur.execute(f"INSERT INTO {fts.FTS_TABLE}({fts.FTS_TABLE}, rank) VALUES ('integrity-check', 1)")


def test_it_indexes_titles_and_prompts(patient):
    titled = create_entry(patient, "nothing here", title="Orchard")
    prompted = create_entry(patient, "an answer", prompt_text="What did the meadow feel like?")
    assert ids(fts.search(patient, "orchard")) == [titled.pk]
    assert ids(fts.search(patient, "meadow")) == [prompted.pk]


def test_it_puts_the_better_match_first(patient):
    once = create_entry(patient, "Grief came up once, then the afternoon went on with errands and a long walk home.")
    often = create_entry(patient, "Grief. So much grief today; grief for my father.")
    create_entry(patient, "Nothing relevant at all")
    assert ids(fts.search(patient, "grief")) == [often.pk, once.pk]


def test_it_ranks_a_title_match_above_the_same_word_in_text(patient):
    in_text = create_entry(patient, "we talked about the ocean for a while and other things too")
    in_title = create_entry(patient, "we talked for a while about other things too", title="Ocean")
    assert ids(fts.search(patient, "ocean")) == [in_title.pk, in_text.pk]


def test_it_marks_the_match_in_the_snippet(patient):
    create_entry(patient, "After the session I felt a warm lightness spreading through my chest for an hour")
    (hit,) = fts.search(patient, "lightness")
    assert "[lightness]" in hit.snippet
    (bold,) = fts.search(patient, "lightness", marks=("<b>", "</b>"))
    assert "<b>lightness</b>" in bold.snippet


def test_it_matches_other_forms_of_a_word_and_accents(patient):
    entry = create_entry(patient, "Feeling calmer at the café")
    assert ids(fts.search(patient, "feels")) == [entry.pk]
    assert ids(fts.search(patient, "cafe")) == [entry.pk]


def test_it_requires_every_word_and_keeps_phrases(patient):
    both = create_entry(patient, "the river was cold and bright")
    create_entry(patient, "the river was warm")
    assert ids(fts.search(patient, "river cold")) == [both.pk]
    assert fts.search(patient, '"cold river"') == []
    assert ids(fts.search(patient, '"cold and bright"')) == [both.pk]


def test_it_supports_a_prefix(patient):
    entry = create_entry(patient, "hopeful, for once")
    assert ids(fts.search(patient, "hop*")) == [entry.pk]


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "OR NOT", "NEAR(a b)", "title:x", "*", "-", "a AND (b", "^start", "col:", "'); DROP TABLE x; --", '""""', "x*y"],
)
def test_it_treats_fts_syntax_as_plain_text(patient, query):
    create_entry(patient, "an ordinary entry")
    fts.search(patient, query)  # never an FTS5 syntax error


def test_it_finds_words_written_with_fts_operators(patient):
    entry = create_entry(patient, "I did NOT want to leave, AND I stayed")
    assert ids(fts.search(patient, "not and")) == [entry.pk]


def test_it_has_nothing_to_look_for_in_punctuation():
    assert fts.match_expression(' " - * () ') == ""
    assert fts.match_expression("don't stop*") == '"don\'t" "stop"*'


def test_it_only_searches_the_owners_entries(patient, django_user_model):
    other = django_user_model.objects.create(username="someone-else")
    create_entry(other, "a secret garden")
    mine = create_entry(patient, "my garden")
    assert ids(fts.search(patient, "garden")) == [mine.pk]


def test_it_respects_the_limit(patient):
    for n in range(5):
        create_entry(patient, f"walk number {n}")
    assert len(fts.search(patient, "walk", limit=3)) == 3


@pytest.mark.sqlite_only
def test_it_ranks_a_very_common_word_among_the_newest_matches(patient, monkeypatch):
    monkeypatch.setattr(fts, "RANK_CANDIDATES", 3)
    old = create_entry(patient, "tea tea tea tea")  # the best match, but older than the newest three
    newer = [create_entry(patient, f"tea number {n} and more words here") for n in range(3)]
    assert set(ids(fts.search(patient, "tea"))) == {e.pk for e in newer}
    assert old.pk not in ids(fts.search(patient, "tea"))


@pytest.mark.sqlite_only
def test_it_puts_lost_triggers_back_and_refills_the_index(patient):
    create_entry(patient, "kept before the rebuild")
    with connection.cursor() as cur:
        for name in fts.FTS_TRIGGERS:
            cur.execute(f"DROP TRIGGER {name}")
    unindexed = create_entry(patient, "written while the triggers were gone")
    assert fts.ensure_index(repair_only=True) is True
    assert ids(fts.search(patient, "triggers")) == [unindexed.pk]
    assert fts.ensure_index(repair_only=True) is False


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_survives_django_rebuilding_the_entry_table(patient):
    from django.db import models

    entry = create_entry(patient, "a pebble in my pocket")
    field = models.BooleanField(default=False)
    field.set_attributes_from_name("search_test_flag")
    with connection.schema_editor() as editor:
        editor.add_field(Entry, field)  # SQLite copies, drops and renames the table
    assert fts.ensure_index(repair_only=True) is True  # the rebuild lost the triggers; post_migrate puts them back
    try:
        save_text(entry, "a shell in my pocket")
        assert ids(fts.search(patient, "shell")) == [entry.pk]
        assert fts.search(patient, "pebble") == []
    finally:
        with connection.schema_editor() as editor:
            editor.remove_field(Entry, field)
        fts.ensure_index(repair_only=True)
