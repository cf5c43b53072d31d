from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from afterglow.journal import timeline
from afterglow.journal.models import Entry
from tests.journal import course_factories as make


def ids_on(body: str) -> list[str]:
    return re.findall(r"<p class=\"excerpt\">([^<]*)</p>", body)


def bulk_entries(owner, count: int, start, step: timedelta, **fields) -> None:
    Entry.objects.bulk_create(
        [Entry(owner=owner, text=f"entry {i}", created_at=start + i * step, updated_at=start, **fields) for i in range(count)]
    )


def test_it_shows_sessions_with_what_followed_newest_first(client, patient):
    c = make.course(patient)
    make.session(patient, c, make.days_ago(10))
    make.session(patient, c, make.days_ago(4))
    make.entry(patient, "before anything", when=make.at(make.days_ago(12)))
    make.entry(patient, "after the first", when=make.at(make.days_ago(8), 20))
    make.checkin(patient, make.days_ago(2), mood=7, note="steady day")
    body = client.get("/timeline").content.decode().split('class="timeline-filter"')[1].split("</form>")[1]
    order = ["Session 2", "steady day", "Session 1", "after the first", "Before your first session", "before anything"]
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Day 2 after session 2" in body and "Day 2 after session 1" in body


def test_an_entry_about_an_earlier_session_counts_days_from_it(client, patient):
    c = make.course(patient)
    first = make.session(patient, c, make.days_ago(10))
    make.session(patient, c, make.days_ago(4))
    make.entry(patient, "still thinking of the first", when=make.at(make.days_ago(1)), session=first)
    assert "Day 9 after session 1" in client.get("/timeline").content.decode()


def test_private_entries_carry_a_badge(client, patient):
    make.entry(patient, "only for me", private=True)
    make.entry(patient, "could be shared")
    body = client.get("/timeline").content.decode()
    assert body.count('class="badge badge-private"') == 1


def test_it_shows_only_this_patients_journal(client, patient):
    other = make.stranger()
    make.entry(other, "a stranger's words")
    make.session(other, make.course(other), make.days_ago(1))
    make.entry(patient, "my words")
    body = client.get("/timeline").content.decode()
    assert "my words" in body and "stranger" not in body and "Session 1" not in body


def test_it_filters_by_session(client, patient):
    c = make.course(patient)
    first = make.session(patient, c, make.days_ago(10))
    second = make.session(patient, c, make.days_ago(4))
    make.entry(patient, "in the first period", when=make.at(make.days_ago(9)))
    make.checkin(patient, make.days_ago(8), note="first period check-in")
    make.entry(patient, "in the second period", when=make.at(make.days_ago(3)))
    make.entry(patient, "written later about the first", when=make.at(make.days_ago(1)), session=first)
    body = client.get(f"/timeline?session={first.pk}").content.decode()
    assert "in the first period" in body and "first period check-in" in body and "written later about the first" in body
    assert "in the second period" not in body
    assert f'<option value="{first.pk}" selected>' in body
    assert f'href="/sessions/{second.pk}"' not in body


def test_filtering_by_someone_elses_or_a_made_up_session_is_not_found(client, patient):
    other = make.stranger()
    theirs = make.session(other, make.course(other), make.days_ago(1))
    assert client.get(f"/timeline?session={theirs.pk}").status_code == 404
    assert client.get("/timeline?session=abc").status_code == 404
    assert client.get("/timeline?session=99999999999999999999999").status_code == 404


def test_it_pages_through_everything_once_and_back(client, patient):
    bulk_entries(patient, 60, timezone.now() - timedelta(days=30), timedelta(hours=7))
    seen: list[str] = []
    url, pages = "/timeline", []
    while url:
        body = client.get(url).content.decode()
        pages.append(ids_on(body))
        seen += pages[-1]
        older = re.search(r'href="\?before=([^"]+)">Older', body)
        url = f"/timeline?before={older.group(1)}" if older else ""
    assert [len(p) for p in pages] == [25, 25, 10]
    assert seen == [f"entry {i}" for i in range(59, -1, -1)]
    last = client.get(f"/timeline?before={timeline.Cursor.decode(None) or ''}")  # no cursor: the newest page
    assert ids_on(last.content.decode()) == pages[0]
    middle = client.get(
        "/timeline?before=" + re.search(r'before=([^"]+)">Older', client.get("/timeline").content.decode()).group(1)
    )
    newer = re.search(r'href="\?after=([^"]+)">Newer', middle.content.decode()).group(1)
    assert ids_on(client.get(f"/timeline?after={newer}").content.decode()) == pages[0]


def test_a_mangled_cursor_shows_the_newest_page(client, patient):
    make.entry(patient, "newest words")
    for junk in ["x", "1.2", "1.9.1", "99999999999999999999999999.1.1", "1.1.99999999999999999999"]:
        response = client.get(f"/timeline?before={junk}")
        assert response.status_code == 200 and "newest words" in response.content.decode()


def same_moment_journal(patient):
    """Sessions, entries and check-ins sharing days and even moments: the hard cases for keyset paging."""
    c = make.course(patient)
    noon = make.at(make.days_ago(5), 12)
    s1 = make.session(patient, c, make.days_ago(5), hour=12)
    make.session(patient, c, make.days_ago(2), hour=9)
    for i in range(4):
        make.entry(patient, f"same moment {i}", when=noon)
    for n in range(8):
        make.checkin(patient, make.days_ago(n), mood=1 + n)
        make.checkin(patient, make.days_ago(n), mood=2, at=make.at(make.days_ago(n), 12))  # the same moment as the first
        make.entry(patient, f"day {n}", when=make.at(make.days_ago(n), 23, 59))
    make.entry(patient, "about the first", when=make.at(make.days_ago(1)), session=s1)
    return c


def full_order(patient) -> list[tuple[str, int]]:
    return [(i.kind, i.obj.pk) for i in timeline.page(patient, size=10_000).stream]


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_small_pages_walk_the_same_order_as_one_big_page(patient, size):
    same_moment_journal(patient)
    expected = full_order(patient)
    walked, cursor, visited = [], None, 0
    while True:
        page = timeline.page(patient, size=size, before=cursor)
        walked += [(i.kind, i.obj.pk) for i in page.stream]
        visited += 1
        if not page.older:
            break
        cursor = timeline.Cursor.decode(page.older)
    assert walked == expected and visited > 1
    # And back up from where the last page began (that item excluded), with `after`, page by page.
    start = (timeline.KINDS[cursor.rank], cursor.id)
    back: list[tuple[str, int]] = []
    while cursor:
        page = timeline.page(patient, size=size, after=cursor)
        back = [(i.kind, i.obj.pk) for i in page.stream] + back
        cursor = timeline.Cursor.decode(page.newer)
    assert back == expected[: expected.index(start)]


def test_check_ins_stand_at_their_own_moments_several_a_day(patient):
    day = make.days_ago(1)
    morning = make.checkin(patient, day, mood=3, at=make.at(day, 8))
    entry = make.entry(patient, "between the two", when=make.at(day, 12))
    evening = make.checkin(patient, day, mood=7, at=make.at(day, 20))
    same = make.entry(patient, "same moment as the morning one", when=make.at(day, 8))
    # Newest first; at one moment the check-in counts as later than the entry (as for sessions).
    assert full_order(patient) == [("checkin", evening.pk), ("entry", entry.pk), ("checkin", morning.pk), ("entry", same.pk)]


def test_a_check_in_before_the_session_on_its_day_belongs_to_the_time_before(patient):
    c = make.course(patient)
    day = make.days_ago(1)
    session = make.session(patient, c, day, hour=10)
    before = make.checkin(patient, day, mood=4, at=make.at(day, 8))
    after = make.checkin(patient, day, mood=6, at=make.at(day, 14))
    placed = {i.obj.pk: i for i in timeline.page(patient).stream if i.kind == "checkin"}
    assert placed[before.pk].period is None and placed[after.pk].period == session
    assert placed[after.pk].label == "Session 1 day"
    assert [i.obj.pk for i in timeline.page(patient, session=session).items] == [after.pk]


def test_a_page_costs_the_same_few_queries_however_long_the_journal(client, patient, django_assert_max_num_queries):
    c = make.course(patient)
    for n in range(30):
        make.session(patient, c, make.days_ago(90 - 3 * n))
    bulk_entries(patient, 3000, timezone.now() - timedelta(days=90), timedelta(minutes=43), private=False)
    for n in range(90):
        make.checkin(patient, make.days_ago(n), mood=5)
    with django_assert_max_num_queries(6):
        body = client.get("/timeline").content.decode()
    older = re.search(r'before=([^"]+)">Older', body).group(1)
    with django_assert_max_num_queries(6):
        assert client.get(f"/timeline?before={older}").status_code == 200


def test_the_entry_query_walks_the_owner_index_without_sorting(patient):
    cursor = timeline.Cursor(timezone.now(), timeline.ENTRY, 10)
    rows = timeline._entry_rows(Entry.objects.filter(owner=patient), cursor, None, 26)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as db:
        db.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in db.fetchall())
    assert "USING INDEX" in plan and "created" in plan
    # Only entries sharing one moment get sorted by id (SQLite's "LAST TERM" sort); never the whole journal.
    assert "TEMP B-TREE FOR ORDER BY" not in plan


def test_entries_link_to_their_page_and_course_titles_are_escaped(client, patient):
    c = make.course(patient, title="<b>Spring</b>")
    make.session(patient, c, make.days_ago(2))
    e = make.entry(patient, "A short note")
    body = client.get("/timeline").content.decode()
    assert f'href="/entries/{e.pk}"' in body
    assert "&lt;b&gt;Spring&lt;/b&gt;" in body and "<b>Spring</b>" not in body


@pytest.mark.django_db(transaction=True)
def test_a_session_added_between_two_views_is_on_the_second(client, patient):
    # Outside a test transaction the session list is kept between requests until the journal changes.
    c = make.course(patient)
    make.session(patient, c, make.days_ago(5))
    assert "Session 2" not in client.get("/timeline").content.decode()
    make.session(patient, c, make.days_ago(1))
    body = client.get("/timeline").content.decode()
    assert "Session 2" in body and "Session 1" in body


@pytest.mark.django_db(transaction=True)
def test_an_unchanged_journal_is_not_asked_for_its_sessions_again(client, patient):
    c = make.course(patient)
    make.session(patient, c, make.days_ago(5))
    make.entry(patient, "a line")
    client.get("/timeline")
    with CaptureQueriesContext(connection) as queries:
        client.get("/timeline")
    assert not [q for q in queries.captured_queries if is_every_session(q["sql"])]
    make.entry(patient, "another line")
    with CaptureQueriesContext(connection) as queries:
        client.get("/timeline")
    assert [q for q in queries.captured_queries if is_every_session(q["sql"])]


def is_every_session(sql: str) -> bool:
    # The one query for all of the patient's sessions (the page's own rows are fetched by id).
    return 'FROM "journal_session" INNER JOIN "journal_course"' in sql and '"journal_session"."owner_id" =' in sql


def test_an_earlier_session_added_later_heads_the_timeline_as_session_1(client, patient):
    c = make.course(patient)
    today = make.session(patient, c, make.days_ago(0), hour=0)
    earlier = make.session(patient, c, make.days_ago(6))
    body = client.get("/timeline").content.decode()
    assert f'<a href="/sessions/{earlier.pk}">Session 1</a>' in body
    assert f'<a href="/sessions/{today.pk}">Session 2</a>' in body


def test_two_courses_with_the_same_session_number_have_distinct_landmarks(client, patient):
    spring = make.course(patient, make.days_ago(60), title="Spring infusions")
    autumn = make.course(patient, make.days_ago(20), title="Autumn boosters")
    make.session(patient, spring, make.days_ago(50))
    make.session(patient, autumn, make.days_ago(10))
    labels = re.findall(r'<section class="period" aria-label="([^"]*)"', client.get("/timeline").content.decode())
    assert "Session 1 of Spring infusions and the days after" in labels
    assert "Session 1 of Autumn boosters and the days after" in labels
    assert len(labels) == len(set(labels))
