"""Search covers every kind of writing, with filters, safe highlighting and kind refusals."""

from __future__ import annotations

import contextlib

import pytest

from afterglow.journal.models import Entry, Intention
from afterglow.pages import everywhere
from afterglow.pages.everywhere import BadQuery, Filters, find, highlight
from tests.journal.course_factories import course, days_ago, session, stranger
from tests.search.sources import CANARIES, plant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(CANARIES))
def test_it_finds_the_canary_planted_in_each_kind_of_writing(patient, kind):
    made = plant(patient)
    [result] = find(patient, CANARIES[kind])
    expected = "intention" if kind == "revisit" else kind
    assert result.kind == expected and result.pk == made[kind].pk
    assert f"\ue000{CANARIES[kind]}\ue001" in result.snippet.lower()
    assert result.url


def test_each_result_says_its_session_and_day(patient):
    made = plant(patient)
    [result] = find(patient, CANARIES["checkin"])
    assert result.session_number == made["session"].number and result.when == f"Day 2 after session {made['session'].number}"


def test_a_revisit_match_opens_the_revisit_page_and_the_intention_its_own(patient):
    made = plant(patient)
    assert find(patient, CANARIES["revisit"])[0].url.endswith(f"/sessions/{made['session'].pk}/revisit")
    assert find(patient, CANARIES["intention"])[0].url.endswith(f"/sessions/{made['session'].pk}/intention")


def test_someone_elses_writing_is_never_found(patient):
    plant(stranger())
    for word in CANARIES.values():
        assert find(patient, word) == []


def test_highlighting_escapes_the_journal_text_and_marks_only_the_match(patient):
    Entry.objects.create(owner=patient, text='<script>alert("x")</script> & the heron <b>flew</b>')
    [result] = find(patient, "heron")
    html = str(result.html)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert "<mark>heron</mark>" in html


def test_highlight_never_leaves_a_mark_open():
    assert str(highlight("a \ue000b")) == "a <mark>b</mark>"
    assert str(highlight("\ue001<i>")) == "&lt;i&gt;"


def test_the_kind_filter_keeps_only_that_kind(patient):
    made = plant(patient)
    Intention.objects.create(owner=patient, session=made["session"], text="golden hour")
    kinds = {r.kind for r in find(patient, "golden")}
    assert kinds == {"capture", "intention"}
    assert {r.kind for r in find(patient, "golden", Filters(kinds=frozenset({"intention"})))} == {"intention"}


def test_the_session_filter_keeps_that_sessions_writing(patient):
    c = course(patient)
    first, second = session(patient, c, days_ago(20)), session(patient, c, days_ago(10))
    Intention.objects.create(owner=patient, session=first, text="heron one")
    Intention.objects.create(owner=patient, session=second, text="heron two")
    mark, end = everywhere.session_filter(patient, second.pk)
    [result] = find(patient, "heron", Filters(session=mark, session_end=end))
    assert result.session_id == second.pk


def test_the_date_range_filter_keeps_days_inside_it(patient):
    old = Entry.objects.create(owner=patient, text="heron long ago")
    Entry.objects.filter(pk=old.pk).update(created_at=everywhere._day_start(days_ago(40)))
    new = Entry.objects.create(owner=patient, text="heron lately")
    assert [r.pk for r in find(patient, "heron", Filters(since=days_ago(5)))] == [new.pk]
    assert [r.pk for r in find(patient, "heron", Filters(until=days_ago(30)))] == [old.pk]


def test_another_patients_session_in_the_filter_is_refused(patient):
    theirs = session(patient, course(patient), days_ago(2))
    other = stranger()
    s = session(other, course(other), days_ago(2))
    with pytest.raises(BadQuery):
        everywhere.session_filter(patient, s.pk)
    assert everywhere.session_filter(patient, theirs.pk)[0].pk == theirs.pk


@pytest.mark.parametrize(
    "query", ['"', "*", "NEAR", "-", "(", "heron NEAR(", '"heron', "heron*", "-heron", "a:b", "(((", "^heron"]
)
def test_fts_syntax_is_only_text(patient, query):
    Entry.objects.create(owner=patient, text="the heron")
    with contextlib.suppress(BadQuery):
        find(patient, query)


@pytest.mark.parametrize("query", ["", "   ", "!!! ... ???", "—"])
def test_an_empty_or_wordless_query_gets_a_kind_message(patient, query):
    with pytest.raises(BadQuery, match="word"):
        find(patient, query)


def test_a_very_long_query_gets_a_kind_message(patient):
    with pytest.raises(BadQuery, match="characters"):
        find(patient, "heron " * 2000)


def test_only_stop_words_find_what_contains_them(patient):
    # FTS5 has no stop words: "the and" is searched as written, and may find nothing.
    assert find(patient, "the and") == []


@pytest.mark.parametrize("index_name", ["CAPTURES", "INTENTIONS", "CHECKINS"])
def test_the_new_indexes_follow_edits_and_deletes_and_stay_whole(patient, index_name):
    from django.db import connection

    from afterglow.journal import search as fts

    made = plant(patient)
    obj, field, canary = {
        "CAPTURES": (made["capture"], "first_impression", CANARIES["capture"]),
        "INTENTIONS": (made["intention"], "text", CANARIES["intention"]),
        "CHECKINS": (made["checkin"], "note", CANARIES["checkin"]),
    }[index_name]
    setattr(obj, field, "now about a cormorant")
    obj.save()
    assert find(patient, canary) == [] and [r.pk for r in find(patient, "cormorant")] == [obj.pk]
    obj.delete()
    assert find(patient, "cormorant") == []
    table = getattr(fts, index_name).table
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


def test_an_older_journal_gets_its_captures_intentions_and_checkins_indexed(patient):
    """What the 0006 migration does for rows written before it: build each index from the table."""
    from django.db import connection

    from afterglow.journal import search as fts

    made = plant(patient)
    for index in (fts.CAPTURES, fts.INTENTIONS, fts.CHECKINS):
        index.drop(connection)
    for index in (fts.CAPTURES, fts.INTENTIONS, fts.CHECKINS):
        assert index.ensure(connection) is True
    assert [r.pk for r in find(patient, CANARIES["capture"])] == [made["capture"].pk]
    assert [r.pk for r in find(patient, CANARIES["checkin"])] == [made["checkin"].pk]


def test_lost_triggers_of_the_new_indexes_are_put_back_after_a_migrate(patient):
    from django.apps import apps
    from django.db import connection

    from afterglow.journal import search as fts
    from afterglow.journal.apps import _repair_search_index

    with connection.cursor() as cur:
        for index in (fts.CAPTURES, fts.INTENTIONS, fts.CHECKINS):
            for name in index.triggers:
                cur.execute(f"DROP TRIGGER {name}")
    made = plant(patient)  # written while the triggers were gone
    _repair_search_index(apps.get_app_config("journal"))
    assert [r.pk for r in find(patient, CANARIES["checkin"])] == [made["checkin"].pk]
    assert [r.pk for r in find(patient, CANARIES["intention"])] == [made["intention"].pk]
