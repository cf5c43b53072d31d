"""A drawing's or photo's caption is found by search, and the index follows captions as they change."""

from __future__ import annotations

import pytest
from django.db import connection

from afterglow.journal import search as fts
from afterglow.journal.entries import create_entry
from afterglow.media.search import CAPTIONS
from afterglow.media.visual import pictures
from afterglow.media.visual.models import Picture
from afterglow.media.visual.photos import process_photo
from tests.journal.course_factories import stranger
from tests.media.images import encoded, picture

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def photo():
    return process_photo(encoded(picture(320, 240), "JPEG"))


def add(owner, photo, caption: str, entry=None) -> Picture:
    return pictures.add_photo(owner, photo, pictures.Place(entry=entry), caption)


def test_a_caption_finds_the_entry_holding_the_photo(patient, photo):
    pic = add(patient, photo, "The lighthouse at dusk, from the clinic window")
    [hit] = fts.search(patient, "lighthouse")
    assert hit.entry_id == pic.entry_id
    assert hit.snippet.startswith("Photo: ") and "[lighthouse]" in hit.snippet


def test_an_entry_found_by_its_text_and_a_caption_is_listed_once_with_its_text(patient, photo):
    entry = create_entry(patient, "We walked to the harbour and back")
    add(patient, photo, "The harbour wall", entry=entry)
    [hit] = fts.search(patient, "harbour")
    assert hit.entry_id == entry.pk and hit.snippet.startswith("We walked")


def test_the_index_follows_a_changed_and_a_deleted_caption(patient, photo):
    pic = add(patient, photo, "A heron on one leg")
    Picture.objects.filter(pk=pic.pk).update(caption="A swan asleep")
    assert fts.search(patient, "heron") == [] and [h.entry_id for h in fts.search(patient, "swan")] == [pic.entry_id]
    pictures.delete_picture(Picture.objects.get(pk=pic.pk))
    assert fts.search(patient, "swan") == []
    with connection.cursor() as cur:  # the index itself agrees with the table
        cur.execute(f"INSERT INTO {CAPTIONS.table}({CAPTIONS.table}, rank) VALUES ('integrity-check', 1)")


def test_someone_elses_captions_are_not_searched(patient, photo):
    add(stranger(), photo, "A stranger's garden")
    assert fts.search(patient, "garden") == []


def test_lost_caption_triggers_are_put_back_after_a_migrate(patient, photo):
    with connection.cursor() as cur:
        for name in CAPTIONS.triggers:
            cur.execute(f"DROP TRIGGER {name}")
    pic = add(patient, photo, "Added while the triggers were gone: a kite")
    assert CAPTIONS.ensure(connection, repair_only=True) is True
    assert [h.entry_id for h in fts.search(patient, "kite")] == [pic.entry_id]
