"""The tags of a clinic's private entries: sealed with them, yet listed, counted and filtered for their patient."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from afterglow.care.models import Category
from afterglow.clinic.models import Role
from afterglow.journal import keyring as rings
from afterglow.journal.models import Entry, PrivateKeyring
from afterglow.journal.private import opening
from afterglow.reports.models import ImportRecord
from afterglow.tags import store
from afterglow.tags.models import SealedTags, Tag
from tests.clinic.people import PASSWORD, browser, member, post, recovery, signed_in
from tests.clinic.test_private import NEW_PASSWORD, anywhere_in_the_database, pg_dump, reset, write

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

WRITTEN = "zephyrquill"  # a #word in a private entry's text
GIVEN = "marblefinch"  # a tag given in a private entry's tag field


@pytest.fixture
def patient() -> Any:
    return member("patient-t", Role.PATIENT)


def private_entry(client: Any, *, private: bool = True) -> Entry:
    uid = uuid.uuid4()
    write(client, f"A walk by the water #{WRITTEN}", uid=uid, private=private)
    entry = Entry.objects.get(uid=uid)
    assert post(client, f"/entries/{entry.pk}/tags", {"tags": f"#{GIVEN}, calm"}).status_code == 302
    return entry


def the_tag_list(client: Any) -> str:
    return client.get("/tags").content.decode()


@pytest.mark.django_db(transaction=True)  # committed, so pg_dump sees the rows
def test_it_keeps_a_private_entrys_tags_out_of_pg_dump_and_every_table(patient):
    client = signed_in(patient)
    private_entry(client)
    dump = pg_dump()
    assert WRITTEN[:-1] not in dump and GIVEN[:-1] not in dump
    assert anywhere_in_the_database(WRITTEN) == [] and anywhere_in_the_database(GIVEN) == []
    assert not Tag.objects.filter(owner=patient).exists() and SealedTags.objects.filter(owner=patient).count() == 1
    assert f"#{GIVEN}" in client.get(f"/entries/{Entry.objects.get(owner=patient).pk}").content.decode()


def test_it_lists_counts_and_filters_a_private_entrys_tags_for_its_patient(patient):
    client = signed_in(patient)
    entry = private_entry(client)
    other = uuid.uuid4()
    write(client, f"Not private, #{GIVEN} too", uid=other, private=False)
    page = client.get(f"/entries/{entry.pk}").content.decode()
    assert f'value="calm {GIVEN}"' in page and f"#{WRITTEN}" in page  # the field, and every tag as a link
    listed = the_tag_list(client)
    assert f"#{WRITTEN}" in listed and f"#{GIVEN}" in listed
    assert (GIVEN, 2) in store_counts(patient, client) and (WRITTEN, 1) in store_counts(patient, client)
    for name in (WRITTEN, GIVEN, "calm"):
        timeline = client.get("/timeline", {"tag": name}).content.decode()
        assert f"/entries/{entry.pk}" in timeline, name
    assert f"/entries/{entry.pk}" not in client.get("/timeline", {"tag": "elsewhere"}).content.decode()
    found = client.get("/search", {"q": "water", "tag": GIVEN}).content.decode()
    assert f"/entries/{entry.pk}" in found
    assert f"/entries/{entry.pk}" not in client.get("/search", {"q": "water", "tag": "elsewhere"}).content.decode()


def store_counts(patient: Any, client: Any) -> list[tuple[str, int]]:
    """store.counts as the patient's own request reads it (the key from their sign-in)."""
    secret = rings.unlock_with_password(PrivateKeyring.objects.get(owner=patient), PASSWORD)
    assert secret is not None
    with opening(patient.pk, secret):
        return store.counts(patient)


def test_it_shows_no_tag_of_a_private_entry_without_the_patients_key(patient):
    client = signed_in(patient)
    entry = private_entry(client)
    assert store.counts(patient) == []  # as a clinician's request, or a job, reads it
    assert store.tags_of(Entry.objects.get(pk=entry.pk)) == []
    assert store.tagged_entries(patient, GIVEN) is not None and not Entry.objects.filter(store.tagged_entries(patient, GIVEN))
    dr = member("dr-tags", Role.CLINICIAN)
    data = {"categories": [c.value for c in Category], "entries": [entry.pk]}
    assert post(client, f"/clinic/sharing/{dr.pk}", data).status_code == 302
    clinician = signed_in(dr)
    for url in [f"/clinic/patients/{patient.pk}"] + [f"/clinic/patients/{patient.pk}/{c.value}" for c in Category]:
        page = clinician.get(url).content.decode()
        assert GIVEN not in page and WRITTEN not in page, url
    assert clinician.get("/tags").status_code in (302, 403, 404)


def test_it_moves_the_tags_into_the_seal_when_marked_private_and_back_when_unmarked(patient):
    client = signed_in(patient)
    entry = private_entry(client, private=False)
    assert set(Tag.objects.filter(entry=entry).values_list("name", "from_text")) == {
        (GIVEN, False),
        ("calm", False),
        (WRITTEN, True),
    }
    write(client, f"A walk by the water #{WRITTEN}", uid=entry.uid, private=True)
    assert not Tag.objects.filter(entry=entry).exists() and anywhere_in_the_database(GIVEN) == []
    listed = the_tag_list(client)
    assert f"#{GIVEN}" in listed and f"#{WRITTEN}" in listed
    write(client, f"A walk by the water #{WRITTEN}", uid=entry.uid, private=False)
    assert set(Tag.objects.filter(entry=entry).values_list("name", "from_text")) == {
        (GIVEN, False),
        ("calm", False),
        (WRITTEN, True),
    }
    assert not SealedTags.objects.filter(entry=entry).exists()


def test_it_changes_a_private_entrys_tags_in_the_seal(patient):
    client = signed_in(patient)
    entry = private_entry(client)
    before = SealedTags.objects.get(entry=entry).sealed
    assert post(client, f"/entries/{entry.pk}/tags", {"tags": "harbour"}).status_code == 302
    assert bytes(SealedTags.objects.get(entry=entry).sealed) != bytes(before)
    listed = the_tag_list(client)
    assert "#harbour" in listed and f"#{GIVEN}" not in listed and f"#{WRITTEN}" in listed
    assert post(client, f"/entries/{entry.pk}/tags", {"tags": ""}).status_code == 302
    assert not SealedTags.objects.filter(entry=entry).exists()


def test_it_still_opens_the_tags_after_a_password_change_and_with_the_recovery_key(patient):
    client = signed_in(patient)
    private_entry(client)
    form = {"current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD}
    assert post(client, "/account/password", form).status_code == 302
    again = browser()
    assert post(again, "/login", {"username": patient.username, "password": NEW_PASSWORD}).status_code == 302
    assert f"#{GIVEN}" in the_tag_list(again)
    after_reset = reset(patient)
    data = {"action": "recover", "recovery_key": recovery[patient.pk], "password": NEW_PASSWORD}
    assert post(after_reset, "/account/private/locked", data).status_code == 302
    listed = the_tag_list(after_reset)
    assert f"#{GIVEN}" in listed and f"#{WRITTEN}" in listed


def test_it_refuses_to_change_the_tags_of_a_private_entry_it_cannot_open(patient):
    client = signed_in(patient)
    entry = private_entry(client)
    locked = Entry.objects.get(pk=entry.pk)  # read with no key, as a job would
    with pytest.raises(Exception, match="locked"):
        store.set_tags(locked, ["other"])
    assert SealedTags.objects.filter(entry=entry).count() == 1


def _export_json(client: Any) -> dict[str, Any]:
    response = post(client, "/export", {"format": "json", "include_private": "on"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return json.loads(archive.read("afterglow.json"))


def test_it_exports_a_private_entrys_tags_and_imports_them_sealed(patient):
    client = signed_in(patient)
    entry = private_entry(client)
    exported = _export_json(client)
    response = post(client, "/export", {"format": "md", "include_private": "on"})
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        page = next(archive.read(n).decode() for n in archive.namelist() if n.startswith("entries/"))
    assert f'tags: ["{WRITTEN}", "{GIVEN}", "calm"]' in page
    tags = {(t["name"], t["entry"]) for t in exported["tags"]}
    assert tags == {(GIVEN, entry.pk), ("calm", entry.pk)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("afterglow.json", json.dumps(exported))
    other = member("patient-u", Role.PATIENT)
    theirs = signed_in(other)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "journal.zip"
    response = post(theirs, "/import", {"format": "json", "file": upload})
    assert response.status_code in (200, 302), response.content
    assert not Tag.objects.filter(owner=other).exists() and SealedTags.objects.filter(owner=other).count() == 1
    listed = the_tag_list(theirs)
    assert f"#{GIVEN}" in listed and "#calm" in listed and f"#{WRITTEN}" in listed
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "journal.zip"
    assert post(theirs, "/import", {"format": "json", "file": upload}).status_code in (200, 302)  # again: nothing doubles
    assert store_counts(other, theirs) == sorted(store_counts(other, theirs), key=lambda i: (-i[1], i[0]))
    assert dict(store_counts(other, theirs))[GIVEN] == 1


def test_it_seals_the_tag_rows_private_entries_kept_from_before(patient):
    from importlib import import_module

    client = signed_in(patient)
    entry = private_entry(client)
    SealedTags.objects.all().delete()  # as stored before tags were sealed: plain rows
    Tag.objects.create(owner=patient, entry=entry, name=GIVEN)
    ImportRecord.objects.create(owner=patient, source="jrnl", key="k" * 64, entry=entry, tags=[f"@{WRITTEN}"])
    migration = import_module("afterglow.tags.migrations.0003_p19tags_seal_private_entries_tags")
    editor = type("Editor", (), {"connection": connection})()
    migration.seal_tags(apps, editor)
    migration.forget_source_tags(apps, editor)
    assert ImportRecord.objects.get(entry=entry).tags == [] and anywhere_in_the_database(WRITTEN) == []
    assert not Tag.objects.filter(entry=entry).exists() and anywhere_in_the_database(GIVEN) == []
    assert f"#{GIVEN}" in the_tag_list(client)


def test_it_brings_a_private_entrys_tags_back_from_the_trash_still_sealed(patient):
    from afterglow.trash.models import TrashItem

    client = signed_in(patient)
    entry = private_entry(client)
    assert post(client, f"/delete/entry/{entry.pk}").status_code == 302
    assert not SealedTags.objects.exists() and f"#{GIVEN}" not in the_tag_list(client)
    item = TrashItem.objects.get(owner=patient)
    assert GIVEN not in item.payload and WRITTEN not in item.payload
    assert post(client, f"/trash/{item.pk}/restore").status_code == 302
    assert SealedTags.objects.filter(entry_id=entry.pk).exists() and not Tag.objects.exists()
    listed = the_tag_list(client)
    assert f"#{GIVEN}" in listed and f"#{WRITTEN}" in listed


def test_it_refuses_kindly_to_tag_a_private_entry_locked_after_a_reset_without_the_recovery_key(patient):
    client = signed_in(patient)
    entry = private_entry(client)
    again = reset(patient)
    start = {"action": "start", "password": NEW_PASSWORD, "understood": "on"}
    assert post(again, "/account/private/locked", start).status_code == 302
    assert post(again, "/account/private/recovery-key", {"kept": "on"}).status_code == 302
    assert f"#{GIVEN}" not in again.get(f"/entries/{entry.pk}").content.decode()
    response = post(again, f"/entries/{entry.pk}/tags", {"tags": "new"})
    assert response.status_code == 409 and b"locked" in response.content
    assert SealedTags.objects.filter(entry=entry).count() == 1 and not Tag.objects.filter(entry=entry).exists()


def test_it_seals_the_tags_of_private_entries_left_in_the_clear_from_before_keys_at_the_next_sign_in(patient):
    client = signed_in(patient)
    PrivateKeyring.objects.filter(owner=patient).delete()  # as on a server from before keys existed
    old = Entry.objects.create(owner=patient, text="placeholder")
    Entry.objects.filter(pk=old.pk).update(text=f"Long ago #{WRITTEN}", private=True)  # stored in the clear then
    Tag.objects.create(owner=patient, entry=old, name=GIVEN)
    assert client.get("/tags").status_code == 302  # asked to sign in again
    again = browser()
    assert post(again, "/login", {"username": patient.username, "password": PASSWORD}).status_code == 302
    assert anywhere_in_the_database(GIVEN) == [] and anywhere_in_the_database(WRITTEN) == []
    assert post(again, "/account/private/recovery-key", {"kept": "on"}).status_code == 302
    listed = the_tag_list(again)
    assert f"#{GIVEN}" in listed and f"#{WRITTEN}" in listed


def test_it_drops_the_tags_an_import_kept_in_the_clear_when_its_entry_is_marked_private(patient):
    client = signed_in(patient)
    one = {"date": "2026-01-06", "time": "21:00", "title": "", "body": "Under the lamp", "tags": ["@Harbourlight"]}
    doc = {"tags": {"@Harbourlight": 1}, "entries": [{**one, "starred": False}]}
    upload = io.BytesIO(json.dumps(doc).encode())
    upload.name = "jrnl.json"
    assert post(client, "/import", {"format": "jrnl", "file": upload}).status_code == 302
    record = ImportRecord.objects.get(owner=patient)
    assert record.tags == ["@Harbourlight"] and record.entry is not None  # kept while the entry is not private
    write(client, "Under the lamp #Harbourlight", uid=record.entry.uid, private=True)
    assert ImportRecord.objects.get(pk=record.pk).tags == [] and anywhere_in_the_database("Harbourlight") == []
    assert "#harbourlight" in the_tag_list(client)
