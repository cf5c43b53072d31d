"""The search page and the header's box: every source, filters, safe highlighting, kind refusals."""

from __future__ import annotations

import pytest

from afterglow.journal.models import Entry, Intention
from tests.journal.course_factories import course, days_ago, session, stranger
from tests.search.sources import CANARIES, plant

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize("kind", sorted(CANARIES))
def test_the_page_finds_the_canary_planted_in_each_kind(client, patient, kind):
    made = plant(patient)
    page = client.get("/search", {"q": CANARIES[kind]}).content.decode()
    assert f"<mark>{CANARIES[kind]}</mark>" in page.lower()
    label = {"revisit": "Intention"}.get(kind) or {
        "entry": "Entry",
        "prompt": "Prompt answer",
        "voice": "Voice note",
        "drawing": "Drawing caption",
        "photo": "Photo caption",
        "capture": "Capture answer",
        "intention": "Intention",
        "checkin": "Check-in note",
    }[kind]
    assert f'<span class="badge badge-kind">{label}</span>' in page
    assert made["session"].number == 1 and "after session 1" in page


def test_every_page_has_the_search_box_in_its_header(client, patient):
    page = client.get("/").content.decode()
    assert 'action="/search"' in page and 'id="header-q"' in page and "vendor/htmx" in page


def test_the_page_works_as_a_plain_form_without_javascript(client, patient):
    entry = Entry.objects.create(owner=patient, text="A kestrel over the car park")
    page = client.get("/search?q=kestrel").content.decode()
    assert '<form method="get" action="/search"' in page and 'value="kestrel"' in page
    assert f'href="/entries/{entry.pk}"' in page and "<html" in page


def test_typing_gets_only_the_results_back(client, patient):
    Entry.objects.create(owner=patient, text="A kestrel over the car park")
    part = client.get("/search", {"q": "kestr*"}, **HX).content.decode()
    assert "<html" not in part and "<mark>kestrel</mark>" in part
    header = client.get("/search", {"q": "kestrel", "in": "header"}, **HX).content.decode()
    assert "All results and filters" in header and "search-results-compact" in header
    assert client.get("/search", {"q": "", "in": "header"}, **HX).content == b""


def test_highlighting_escapes_what_was_written(client, patient):
    Entry.objects.create(owner=patient, title="<i>t</i>", text="<img src=x onerror=alert(1)> the heron & <b>me</b>")
    page = client.get("/search?q=heron").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page and "<mark>heron</mark>" in page
    assert "<i>t</i>" not in page


def test_the_kind_session_and_date_filters_narrow_the_results(client, patient):
    c = course(patient)
    first, second = session(patient, c, days_ago(20)), session(patient, c, days_ago(10))
    Intention.objects.create(owner=patient, session=first, text="heron first", created_at=first.started_at)
    Intention.objects.create(owner=patient, session=second, text="heron second", created_at=second.started_at)
    Entry.objects.create(owner=patient, text="heron entry")
    assert client.get("/search", {"q": "heron", "kind": "intention"}).content.decode().count('class="search-result"') == 2
    page = client.get("/search", {"q": "heron", "session": second.pk, "kind": "intention"}).content.decode()
    assert page.count('class="search-result"') == 1 and "<mark>heron</mark> second" in page
    page = client.get("/search", {"q": "heron", "since": days_ago(1).isoformat()}).content.decode()
    assert page.count('class="search-result"') == 1 and "<mark>heron</mark> entry" in page


def test_an_empty_box_is_a_quiet_page(client, patient):
    response = client.get("/search?q=")
    assert response.status_code == 200 and "Type at least one word" not in response.content.decode()


@pytest.mark.parametrize(
    "params, words",
    [
        ({"q": "!!! ??? ..."}, "no words in it"),
        ({"q": "heron " * 2000}, "characters long"),
        ({"q": "heron", "kind": "diary"}, "not a kind"),
        ({"q": "heron", "since": "yesterday"}, "day on the calendar"),
        ({"q": "heron", "since": "2026-02-02", "until": "2026-01-01"}, "after the"),
        ({"q": "heron", "tag": "#!!"}, "tag"),
        ({"q": "", "kind": "entry"}, "at least one word"),
    ],
)
def test_bad_input_gets_a_kind_message_and_a_400(client, patient, params, words):
    response = client.get("/search", params)
    assert response.status_code == 400 and words in response.content.decode()
    part = client.get("/search", params, **HX)
    assert part.status_code == 200 and words in part.content.decode()


@pytest.mark.parametrize("query", ['"', "*", "NEAR", "-", "(", 'NEAR("a" b)', "heron -x", '"heron', "a:b OR c"])
def test_fts_syntax_is_searched_as_text_never_an_error(client, patient, query):
    Entry.objects.create(owner=patient, text="the heron")
    assert client.get("/search", {"q": query}).status_code in (200, 400)


def test_far_years_in_the_date_range_are_taken_as_the_ends(client, patient):
    Entry.objects.create(owner=patient, text="the heron")
    page = client.get("/search", {"q": "heron", "since": "0001-01-01", "until": "9999-12-31"})
    assert page.status_code == 200 and "<mark>heron</mark>" in page.content.decode()


def test_another_patients_session_in_the_filter_is_not_found(client, patient):
    other = stranger()
    theirs = session(other, course(other), days_ago(2))
    assert client.get("/search", {"q": "heron", "session": theirs.pk}).status_code == 404
    assert client.get("/search", {"q": "heron", "session": "abc"}).status_code == 404


@pytest.mark.parametrize(
    "typed, sent",
    [("lightho", "lightho*"), ("light ", "light "), ('"a phrase', '"a phrase'), ("x", "x"), ("done*", "done*"), ("", "")],
)
def test_while_typing_the_last_word_is_a_beginning(typed, sent):
    from afterglow.pages.views.search import as_you_type

    assert as_you_type(typed) == sent


def test_typed_results_include_words_that_begin_with_the_last_word(client, patient):
    Entry.objects.create(owner=patient, text="The lighthouse at dusk")
    assert "<mark>lighthouse</mark>" in client.get("/search", {"q": "lightho"}, **HX).content.decode()
    assert "Nothing you wrote matches" in client.get("/search", {"q": "lightho"}).content.decode()
