"""Editing keeps earlier versions — one per visit to the writing page, not one per autosave — and one can come back."""

from __future__ import annotations

import uuid

import pytest

from afterglow.journal import autosave as saving
from afterglow.journal.models import Entry, EntryRevision
from afterglow.trash import bin
from tests.journal import course_factories as make

pytestmark = pytest.mark.django_db


def test_saves_of_one_visit_make_one_version_and_a_new_visit_makes_another(patient):
    uid = uuid.uuid4()
    for text in ("The", "The sea", "The sea was calm"):
        saving.autosave(patient, uid, text, editing="visit-one")
    entry = Entry.objects.get(uid=uid)
    assert list(entry.revisions.values_list("text", flat=True)) == ["The sea was calm"]
    for text in ("The sea was calm, then", "The sea was calm, then rough"):
        saving.autosave(patient, uid, text, editing="visit-two")
    assert list(entry.revisions.order_by("id").values_list("text", flat=True)) == [
        "The sea was calm",
        "The sea was calm, then rough",
    ]


def test_the_writing_page_marks_each_visit_so_its_autosaves_share_one_version(client, patient):
    first = client.get("/write").content.decode()
    second = client.get("/write").content.decode()
    marks = [page.split('name="editing" id="entry-editing" value="')[1][:32] for page in (first, second)]
    assert marks[0] != marks[1]


def test_the_versions_page_lists_earlier_texts_and_brings_one_back(client, patient):
    entry = make.entry(patient, "first draft")
    saving.autosave(patient, entry.uid, "second thoughts", editing="b")
    assert f'href="/entries/{entry.pk}/versions"' in client.get(f"/entries/{entry.pk}").content.decode()
    page = client.get(f"/entries/{entry.pk}/versions").content.decode()
    assert "first draft" in page and "second thoughts" in page
    old = entry.revisions.get(text="first draft")
    response = make.submit(client, f"/entries/{entry.pk}/versions/{old.pk}/restore", {}, page=f"/entries/{entry.pk}/versions")
    assert response.status_code == 302 and response.url == f"/entries/{entry.pk}"
    entry.refresh_from_db()
    assert entry.text == "first draft"
    assert sorted(entry.revisions.values_list("text", flat=True)) == ["first draft", "first draft", "second thoughts"]
    again = make.submit(client, f"/entries/{entry.pk}/versions/{old.pk}/restore", {}, page=f"/entries/{entry.pk}/versions")
    assert again.status_code == 302 and entry.revisions.count() == 3


def test_another_patients_versions_are_not_found(client, patient):
    theirs = make.entry(make.stranger(), "not yours")
    version = theirs.revisions.get()
    assert client.get(f"/entries/{theirs.pk}/versions").status_code == 404
    mine = make.entry(patient, "mine")
    url = f"/entries/{mine.pk}/versions/{version.pk}/restore"
    assert make.submit(client, url, {}, page=f"/entries/{mine.pk}/versions").status_code == 404
    assert Entry.objects.get(pk=theirs.pk).text == "not yours"


def test_deleting_an_entry_takes_its_versions_and_purging_erases_them(patient):
    entry = make.entry(patient, "v1")
    saving.autosave(patient, entry.uid, "v2", editing="x")
    item = bin.put(entry)
    assert not EntryRevision.objects.exists()
    back = bin.restore(item)
    assert sorted(back.revisions.values_list("text", flat=True)) == ["v1", "v2"]
    bin.put(back)
    bin.purge(everything=True)
    assert not EntryRevision.objects.exists()
