from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model

from afterglow.journal.models import Entry
from afterglow.media.models import Picture, VoiceNote
from afterglow.reports.formats import importer
from afterglow.reports.progress import quiet
from tests.reports import full_journal
from tests.reports.helpers import export_bytes, export_zip, journal_json, without_ids


def import_json(owner, data: bytes):
    return importer("json").reader(owner, io.BytesIO(data), quiet())


@pytest.mark.django_db
def test_it_round_trips_everything_through_an_empty_journal(patient):
    full_journal.build(patient)
    first = export_bytes(patient, "json", include_private=True)
    media = sorted(bytes(p.image) for p in Picture.objects.with_bytes().filter(owner=patient))
    audio = bytes(VoiceNote.objects.get(owner=patient).audio)
    patient.delete()  # an empty database, as on a new computer: uids come back as they were
    fresh = get_user_model().objects.create(username="fresh")
    result = import_json(fresh, first)
    assert result.added["entries"] == 5 and result.skipped == 0
    again = journal_json(fresh)
    before = json.loads(zipfile.ZipFile(io.BytesIO(first)).read("afterglow.json"))
    assert before["schema_version"] == 2
    assert without_ids(again) == without_ids(before)
    assert again["entries"][0]["uid"] == before["entries"][0]["uid"]
    for table in ("courses", "sessions", "intentions", "captures", "actions", "checkins", "checkin_drafts", "measures",
                  "own_prompts", "safety_plans", "pictures", "voice_notes", "stars", "tags"):  # fmt: skip
        assert before[table], table  # the sample holds every kind, so the comparison means something
    assert before["entries"][0]["revisions"]
    assert [t["name"] for t in before["tags"]] == ["lake-days"]  # #calm comes back from the text itself
    # The media came back byte for byte.
    assert sorted(bytes(p.image) for p in Picture.objects.with_bytes().filter(owner=fresh)) == media
    assert bytes(VoiceNote.objects.get(owner=fresh).audio) == audio


@pytest.mark.django_db
def test_it_leaves_private_entries_out_unless_asked(patient):
    full_journal.build(patient)
    plain = export_bytes(patient, "json")
    assert full_journal.PRIVATE_CANARY.encode() not in plain
    doc = json.loads(zipfile.ZipFile(io.BytesIO(plain)).read("afterglow.json"))
    assert doc["private_included"] is False
    assert not any(e["private"] for e in doc["entries"])
    assert len(doc["pictures"]) == 1  # the photo in the private entry stays out too
    assert full_journal.PRIVATE_CANARY in export_zip(patient, "json", include_private=True).read("afterglow.json").decode()


@pytest.mark.django_db
def test_it_adds_nothing_when_the_same_export_is_imported_again(patient):
    full_journal.build(patient)
    data = export_bytes(patient, "json", include_private=True)
    fresh = get_user_model().objects.create(username="fresh")
    import_json(fresh, data)
    counts = Entry.objects.filter(owner=fresh).count(), Picture.objects.filter(owner=fresh).count()
    second = import_json(fresh, data)
    assert sum(second.added.values()) == 0 and second.skipped > 0
    assert (Entry.objects.filter(owner=fresh).count(), Picture.objects.filter(owner=fresh).count()) == counts


@pytest.mark.django_db
def test_it_imports_into_a_journal_that_already_has_entries(patient):
    full_journal.build(patient)
    data = export_bytes(patient, "json", include_private=True)
    before = Entry.objects.filter(owner=patient).count()
    result = import_json(patient, data)  # into the very journal it came from: everything is already there
    assert sum(result.added.values()) == 0
    assert Entry.objects.filter(owner=patient).count() == before
