"""Deleting moves things to the Trash whole; restoring brings them back with their links; purging erases them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from afterglow.journal import search as fts
from afterglow.journal.models import Capture, CheckIn, Entry, IntegrationAction, Session
from afterglow.media.visual import pictures
from afterglow.media.visual.models import Picture
from afterglow.media.visual.photos import process_photo
from afterglow.trash import bin
from afterglow.trash.models import TrashItem
from tests.journal import course_factories as make
from tests.media.images import encoded, picture

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def photo():
    return process_photo(encoded(picture(64, 48), "JPEG"))


def test_it_takes_a_deleted_entry_out_of_search_and_brings_it_back_whole(patient, photo):
    c = make.course(patient)
    s = make.session(patient, c, make.days_ago(3))
    entry = make.entry(patient, "the marigold light on the ceiling", session=s, prompt_id="six/1", prompt_text="What stayed?")
    pictures.add_photo(patient, photo, pictures.Place(entry=entry), "marigold sketch")
    IntegrationAction.objects.create(owner=patient, entry=entry, what="walk at dusk")
    pk, uid = entry.pk, entry.uid
    assert [h.entry_id for h in fts.search(patient, "marigold")] == [pk]

    item = bin.put(entry)
    assert not Entry.objects.filter(pk=pk).exists() and not Picture.objects.filter(entry_id=pk).exists()
    assert fts.search(patient, "marigold") == []
    assert item.kind == "entry" and "marigold" in item.label

    back = bin.restore(item)
    assert isinstance(back, Entry) and back.pk == pk and back.uid == uid
    assert (back.session_id, back.prompt_id, back.text) == (s.pk, "six/1", "the marigold light on the ceiling")
    assert back.pictures.get().caption == "marigold sketch" and bytes(back.pictures.get().image) == photo.image.data
    assert back.revisions.count() == 1
    assert IntegrationAction.objects.get(what="walk at dusk").entry_id == pk
    assert [h.entry_id for h in fts.search(patient, "marigold")] == [pk]
    assert bin.waiting(patient) == []


def test_restoring_twice_is_no_error(patient):
    pk = make.entry(patient, "twice").pk
    item = bin.put(Entry.objects.get(pk=pk))
    assert bin.restore(item).pk == pk
    assert bin.restore(TrashItem.objects.get(pk=item.pk)).pk == pk
    assert Entry.objects.filter(pk=pk).count() == 1


def test_a_deleted_session_goes_with_everything_attached_and_comes_back_as_one(patient):
    c = make.course(patient)
    first = make.session(patient, c, make.days_ago(10))
    second = make.session(patient, c, make.days_ago(5))
    Capture.objects.create(owner=patient, session=first, first_impression="a wide blue room")
    written = make.entry(patient, "after the first", session=first).pk
    assert (first.number, second.number) == (1, 2)
    first_pk = first.pk

    item = bin.put(first)
    assert not Capture.objects.exists() and not Entry.objects.filter(pk=written).exists()
    second.refresh_from_db()
    assert second.number == 1

    first = bin.restore(item)
    second.refresh_from_db()
    assert (first.pk, first.number, second.number) == (first_pk, 1, 2)
    assert Capture.objects.get().session_id == first_pk
    assert Entry.objects.get(pk=written).session_id == first_pk


def test_an_entry_restored_after_its_session_went_keeps_its_words_without_the_link(patient):
    c = make.course(patient)
    s = make.session(patient, c, make.days_ago(2))
    item = bin.put(make.entry(patient, "kept words", session=s))
    Session.objects.filter(pk=s.pk).delete()
    back = bin.restore(item)
    assert back.text == "kept words" and back.session_id is None


def test_purge_erases_only_what_has_waited_thirty_days(patient):
    old = bin.put(make.entry(patient, "old"), now=timezone.now() - timedelta(days=31))
    new = bin.put(make.checkin(patient, make.days_ago(1)))
    assert bin.purge().items == 1
    assert list(TrashItem.objects.values_list("pk", flat=True)) == [new.pk]
    assert not TrashItem.objects.filter(pk=old.pk).exists()
    assert bin.purge(owner=patient, everything=True).items == 1 and not TrashItem.objects.exists()
    assert not CheckIn.objects.exists()


def test_purge_merges_the_search_index_so_no_token_of_a_purged_entry_stays(patient):
    from django.db import connection

    make.entry(patient, "a word kept")
    bin.put(make.entry(patient, "zanzibarish"))

    def segment_bytes() -> bytes:
        with connection.cursor() as cur:
            cur.execute("SELECT block FROM journal_entry_fts_data")
            return b"".join(bytes(row[0]) for row in cur.fetchall() if row[0] is not None)

    assert b"zanzibarish" in segment_bytes()  # an FTS5 delete only marks the old tokens
    bin.purge(everything=True)
    assert b"zanzibarish" not in segment_bytes() and b"kept" in segment_bytes()
    assert fts.search(patient, "kept") and fts.search(patient, "zanzibarish") == []


def test_every_journal_connection_overwrites_what_it_deletes():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("PRAGMA secure_delete")
        assert cur.fetchone() == (1,)


def test_a_photo_deleted_from_an_entry_comes_back_with_its_bytes(patient, photo):
    entry = make.entry(patient, "words stay")
    pictures.add_photo(patient, photo, pictures.Place(entry=entry), "the pier")
    kept = pictures.delete_picture(Picture.objects.get())  # the list manager leaves the bytes unread
    assert kept is not None and kept.pk == entry.pk and not Picture.objects.exists()
    back = bin.restore(TrashItem.objects.get(kind="photo"))
    assert back.caption == "the pier" and bytes(Picture.objects.with_bytes().get().image) == photo.image.data
    assert [h.entry_id for h in fts.search(patient, "pier")] == [entry.pk]
