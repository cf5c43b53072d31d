"""#tags: found in text, given in a field, kept for imports, counted, and used to filter."""

from __future__ import annotations

import pytest

from afterglow.journal.entries import create_entry, save_text
from afterglow.journal.models import Capture, Entry
from afterglow.pages.everywhere import Filters, find
from afterglow.tags import store
from afterglow.tags.models import Tag
from tests.conftest import csrf_post
from tests.journal.course_factories import course, days_ago, session, stranger

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, tags",
    [
        ("A #calm morning, then #Family-time and #self_care.", ["calm", "family-time", "self_care"]),
        ('#first word and (#bracketed) and "#quoted"', ["first", "bracketed", "quoted"]),
        ("See https://example.org/page#section and www.x.org/#frag", []),
        ("It&#39;s fine, &#x27; too", []),
        ("issue#12 and mid#word and ##double", []),
        ("#1 priority and #2026 but #day2 counts", ["day2"]),
        ("#café and #ümlaut", ["café", "ümlaut"]),
        ("#calm and #CALM again", ["calm"]),
        ("trailing #dash- here", ["dash"]),
    ],
)
def test_it_finds_tags_written_in_text(text, tags):
    assert store.extract(text) == tags


def test_an_entrys_text_tags_follow_every_save(patient):
    entry = create_entry(patient, "A #calm day")
    assert store.tags_of(entry) == ["calm"]
    save_text(entry, "A #restless day, not #calm")
    assert store.tags_of(entry) == ["calm", "restless"]
    save_text(entry, "No tags now")
    assert store.tags_of(entry) == []


def test_a_captures_answers_give_it_tags(patient):
    s = session(patient, course(patient), days_ago(1))
    capture = Capture.objects.create(owner=patient, session=s, felt="Held, #safe")
    capture.insights = "Something about #family"
    capture.save()
    assert store.tags_of(capture) == ["family", "safe"]


def test_set_tags_keeps_imported_tags_beside_the_texts_own(patient):
    entry = create_entry(patient, "A #calm day")
    assert store.set_tags(entry, ["Travel", "#work"]) == ["travel", "work"]
    save_text(entry, "A quiet day")  # the text's tag goes; the imported ones stay
    assert store.tags_of(entry) == ["travel", "work"]
    assert store.set_tags(entry, []) == [] and store.tags_of(entry) == []


@pytest.mark.parametrize("bad", ["", "#", "!!", "a b", "x" * 51, "123"])
def test_set_tags_refuses_what_cannot_be_a_tag(patient, bad):
    entry = create_entry(patient, "words")
    with pytest.raises(store.TagError):
        store.set_tags(entry, [bad])


def test_the_tag_list_counts_each_thing_once(client, patient):
    entry = create_entry(patient, "#calm and #sleep")
    store.set_tags(entry, ["calm"])
    create_entry(patient, "more #calm")
    create_entry(stranger(), "their #calm #secret")
    assert store.counts(patient) == [("calm", 2), ("sleep", 1)]
    page = client.get("/tags").content.decode()
    assert '#calm</a> <span class="meta">2 entries and captures' in page and "secret" not in page


def test_search_and_the_timeline_filter_by_tag(client, patient):
    tagged = create_entry(patient, "The heron at dawn #birds")
    create_entry(patient, "The heron again, untagged")
    assert [r.pk for r in find(patient, "heron", Filters(tag="birds"))] == [tagged.pk]
    page = client.get("/search", {"q": "heron", "tag": "#Birds"}).content.decode()
    assert page.count('class="search-result"') == 1
    timeline = client.get("/timeline", {"tag": "birds"}).content.decode()
    assert f'href="/entries/{tagged.pk}"' in timeline and "untagged" not in timeline and "Only what is tagged" in timeline
    assert client.get("/timeline", {"tag": "!!"}).status_code == 400


def test_the_tag_field_on_an_entry_saves_and_refuses_kindly(client, patient):
    entry = create_entry(patient, "Words #here")
    page = client.get(f"/entries/{entry.pk}").content.decode()
    assert 'name="tags"' in page and "#here</a>" in page
    response = csrf_post(client, f"/entries/{entry.pk}/tags", {"tags": "walks, #Sea  light"})
    assert response.status_code == 302 and store.tags_of(entry) == ["here", "light", "sea", "walks"]
    response = csrf_post(client, f"/entries/{entry.pk}/tags", {"tags": "fine, no good!"})
    assert response.status_code == 400 and "cannot be a tag" in response.content.decode()
    assert 'value="fine, no good!"' in response.content.decode()  # what was typed is not lost
    assert csrf_post(client, f"/entries/{entry.pk}/tags", {"tags": "x " * 600}).status_code == 400


def test_the_tag_field_on_a_capture_saves(client, patient):
    s = session(patient, course(patient), days_ago(1))
    capture = Capture.objects.create(owner=patient, session=s, felt="calm")
    assert 'name="tags"' in client.get(f"/sessions/{s.pk}/capture/summary").content.decode()
    assert csrf_post(client, f"/sessions/{s.pk}/capture/tags", {"tags": "held"}).status_code == 302
    assert store.tags_of(capture) == ["held"]


def test_someone_elses_entry_or_capture_cannot_be_tagged(client, patient):
    other = stranger()
    theirs = create_entry(other, "private words")
    s = session(other, course(other), days_ago(1))
    Capture.objects.create(owner=other, session=s, felt="x")
    assert csrf_post(client, f"/entries/{theirs.pk}/tags", {"tags": "mine"}).status_code == 404
    assert csrf_post(client, f"/sessions/{s.pk}/capture/tags", {"tags": "mine"}).status_code == 404
    assert not Tag.objects.filter(name="mine").exists()


def test_deleting_an_entry_deletes_its_tags(patient):
    entry = create_entry(patient, "#gone soon")
    Entry.objects.filter(pk=entry.pk).delete()
    assert not Tag.objects.exists()


def test_a_private_entry_keeps_its_tags_as_rows_in_local_mode(patient):
    # One encrypted file holds everything locally: nothing to seal apart (a clinic seals them).
    entry = create_entry(patient, "A #calm day", private=True)
    store.set_tags(entry, ["family"])
    rows = set(Tag.objects.filter(entry=entry).values_list("name", "from_text"))
    assert rows == {("calm", True), ("family", False)} and dict(store.counts(patient)) == {"calm": 1, "family": 1}
