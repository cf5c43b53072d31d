"""A private entry's words reach no table, no dump, no session row and no log (issue 19 item 4).

`test_private.py` checks the entry and its versions. Here a patient touches private entries every
way the clinic's pages let them — autosave, the tag field, a star, versions, the Trash, search, the
tag filter, export, import of an Afterglow json and of jrnl, marking private, a clinician with
every consent reading her pages (the audit trail), the reflect page — and then a
real `pg_dump`, every table (bytea columns and the signed session rows decoded too) and every log
line are searched for each of its words: the title, the text, a #word and a tag given in the field.
"""

from __future__ import annotations

import io
import json
import logging
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from afterglow.care.models import AuditRecord, Category
from afterglow.clinic.models import Role
from afterglow.journal.models import Entry, EntryRevision
from afterglow.reports.models import ImportRecord
from afterglow.trash.models import TrashItem
from tests.clinic.people import member, post, signed_in
from tests.clinic.test_private import anywhere_in_the_database, pg_dump, write

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

TITLE = "Fernwhistle"  # a private entry's title (titles come in with imports)
TEXT = "Quillmarrow"  # its text
WRITTEN = "Glasswren"  # a #word in its text
GIVEN = "Mossbellow"  # a tag given in its tag field
BROUGHT = "Lanternmoss"  # a tag a jrnl import brought, on an entry marked private later
WORDS = (TITLE, TEXT, WRITTEN, GIVEN, BROUGHT)


@pytest.fixture
def patient() -> Any:
    return member("patient-e", Role.PATIENT)


def stem(word: str) -> str:
    return word[:-1].lower()  # a word's stem also catches it stored in another case or inflected


def bytea_holding(word: str) -> list[str]:
    """Every bytea column (pictures, recordings, sealed lists) whose bytes hold `word`, in any case."""
    found = []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'bytea'"
        )
        for table, column in cur.fetchall():
            # `escape` keeps printable ASCII as it is (the rest as \ooo), so ILIKE finds the word's letters.
            cur.execute(f'SELECT count(*) FROM "{table}" WHERE encode("{column}", \'escape\') ILIKE %s', [f"%{stem(word)}%"])
            if cur.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def sessions_holding(word: str) -> list[str]:
    """The session rows (signed and compressed, so a text search cannot see in) whose data holds `word`."""
    with connection.cursor() as cur:
        cur.execute("SELECT session_key, session_data FROM django_session")
        rows = cur.fetchall()
    return [key for key, data in rows if stem(word) in json.dumps(SessionStore().decode(data)).lower()]


def leaks(word: str, dump: str) -> dict[str, Any]:
    where = {
        "pg_dump": stem(word) in dump.lower(),
        "tables": anywhere_in_the_database(word),
        "bytea": bytea_holding(word),
        "sessions": sessions_holding(word),
    }
    return {k: v for k, v in where.items() if v}


def zip_of(name: str, body: str) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, body)
    buffer.seek(0)
    buffer.name = "journal.zip"
    return buffer


def afterglow_json() -> io.BytesIO:
    """An Afterglow export holding one private entry: title, text, a version, a field tag."""
    uid = str(uuid.uuid4())
    entry = {
        "id": 7, "uid": uid, "session": None, "mode": "free", "prompt_id": "", "prompt_text": "", "title": TITLE,
        "text": f"{TEXT} from the old journal #{WRITTEN}", "private": True, "created_at": "2026-01-05T09:00:00+00:00",
        "updated_at": "2026-01-05T09:00:00+00:00",
        "revisions": [{"text": f"{TEXT} first thought", "saved_at": "2026-01-05T08:00:00+00:00"}],
    }  # fmt: skip
    tag = {"id": 3, "name": GIVEN.lower(), "from_text": False, "entry": 7, "capture": None}
    doc = {"format": "afterglow-journal", "schema_version": 1, "entries": [entry], "tags": [tag]}
    return zip_of("afterglow.json", json.dumps(doc))


def jrnl_json() -> io.BytesIO:
    doc = {"tags": {f"@{BROUGHT}": 1}, "entries": [
        {"date": "2026-01-06", "time": "21:00", "title": "", "body": f"{TEXT} under the lamp", "tags": [f"@{BROUGHT}"],
         "starred": True},
    ]}  # fmt: skip
    body = io.BytesIO(json.dumps(doc).encode())
    body.name = "jrnl.json"
    return body


def _export(client: Any, fmt: str) -> bytes:
    response = post(client, "/export", {"format": fmt, "include_private": "on"})
    assert response.status_code == 200, fmt
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db(transaction=True)  # committed, so pg_dump (another process) sees the rows
def test_it_keeps_a_private_entrys_words_out_of_every_table_dump_session_and_log(patient, caplog):
    caplog.set_level(logging.DEBUG)
    client = signed_in(patient)
    # Written private, in two visits; a tag given in its field; starred; its pages read.
    uid, editing = uuid.uuid4(), str(uuid.uuid4())
    write(client, f"{TEXT} by the river #{WRITTEN}", uid=uid)
    write(client, f"{TEXT} by the river at dusk #{WRITTEN}", uid=uid, editing=editing)
    entry = Entry.objects.get(uid=uid)
    assert post(client, f"/entries/{entry.pk}/tags", {"tags": GIVEN}).status_code == 302
    assert post(client, f"/star/entry/{entry.pk}", {"on": "1"}).status_code == 302
    first = EntryRevision.objects.filter(entry=entry).order_by("saved_at", "pk").first()
    assert first is not None
    assert post(client, f"/entries/{entry.pk}/versions/{first.pk}/restore").status_code == 302
    for url in (f"/entries/{entry.pk}", f"/entries/{entry.pk}/edit", f"/entries/{entry.pk}/versions", "/timeline", "/tags",
                "/moments", "/course/review", "/report", "/trash"):  # fmt: skip
        assert client.get(url).status_code in (200, 302), url
    assert f"/entries/{entry.pk}" in client.get("/timeline", {"tag": GIVEN.lower()}).content.decode()
    assert f"/entries/{entry.pk}" in client.get("/search", {"q": TEXT, "tag": WRITTEN.lower()}).content.decode()
    # Written in the open, then marked private; another written private and left in the Trash; one
    # more sent to the Trash and brought back.
    marked = uuid.uuid4()
    write(client, f"{TEXT} said aloud #{WRITTEN}", uid=marked, private=False)
    assert post(client, f"/entries/{Entry.objects.get(uid=marked).pk}/tags", {"tags": GIVEN}).status_code == 302
    write(client, f"{TEXT} said aloud #{WRITTEN}", uid=marked, private=True)
    for kept in (True, False):
        binned = uuid.uuid4()
        write(client, f"{TEXT} for the bin #{WRITTEN}", uid=binned)
        binned_entry = Entry.objects.get(uid=binned)
        assert post(client, f"/entries/{binned_entry.pk}/tags", {"tags": GIVEN}).status_code == 302
        assert post(client, f"/delete/entry/{binned_entry.pk}").status_code == 302
        if not kept:
            item = TrashItem.objects.get(owner=patient, restored_at__isnull=True, root__contains=str(binned_entry.pk))
            assert post(client, f"/trash/{item.pk}/restore").status_code == 302
    # Imports: an Afterglow json holding a private entry, and a jrnl entry marked private after.
    assert post(client, "/import", {"format": "json", "file": afterglow_json()}).status_code == 302
    assert post(client, "/import", {"format": "jrnl", "file": jrnl_json()}).status_code == 302
    from_jrnl = ImportRecord.objects.get(owner=patient, source="jrnl").entry
    assert from_jrnl is not None
    write(client, f"{TEXT} under the lamp #{BROUGHT}", uid=from_jrnl.uid, private=True)
    # Every export, with the private entries.
    exported = {fmt: _export(client, fmt) for fmt in ("json", "md", "csv")}
    # A clinician with every kind of consent (and the entry picked) reads each page: the audit trail grows.
    dr = member("dr-everywhere", Role.CLINICIAN)
    data = {"categories": [c.value for c in Category], "entries": [entry.pk]}
    assert post(client, f"/clinic/sharing/{dr.pk}", data).status_code == 302
    clinician = signed_in(dr)
    for url in [f"/clinic/patients/{patient.pk}"] + [f"/clinic/patients/{patient.pk}/{c.value}" for c in Category]:
        assert clinician.get(url).status_code == 200, url
    assert AuditRecord.objects.filter(patient=patient).exists()

    dump = pg_dump()
    assert {word: leaks(word, dump) for word in WORDS} == {word: {} for word in WORDS}
    logged = caplog.text.lower()
    assert not [word for word in WORDS if stem(word) in logged]
    # ... and yet every word is there for her.
    with zipfile.ZipFile(io.BytesIO(exported["json"])) as archive:
        whole = archive.read("afterglow.json").decode()
    assert all(word.lower() in whole.lower() for word in (TITLE, TEXT, WRITTEN, GIVEN, BROUGHT))
    listed = client.get("/tags").content.decode()
    assert all(f"#{word.lower()}" in listed for word in (WRITTEN, GIVEN, BROUGHT))
    imported = Entry.objects.get(owner=patient, created_at__date="2026-01-05")
    page = client.get(f"/entries/{imported.pk}").content.decode()
    assert TITLE in page and f"#{GIVEN.lower()}" in page


def test_it_logs_no_query_string_where_searches_and_tag_filters_travel():
    config = (Path(__file__).parents[2] / "deploy" / "gunicorn.conf.py").read_text()
    fmt = re.search(r"access_log_format\s*=\s*(.+)", config)
    assert fmt is not None
    assert "%(U)s" in fmt.group(1) and not re.search(r"%\((r|q|a|f)\)s", fmt.group(1))  # the path alone


def reflect_autosave(client: Any, session_id: int, uid: uuid.UUID, text: str) -> None:
    data = {"uid": str(uid), "prompt": "three-stage/small-step", "text": text}
    assert post(client, f"/sessions/{session_id}/reflect/autosave", data).status_code == 200


def test_it_keeps_a_private_answer_private_and_sealed_when_it_is_refined_on_the_reflect_page(patient):
    from tests.journal.course_factories import course, days_ago, session

    client = signed_in(patient)
    visit = session(patient, course(patient, days_ago(10)), days_ago(3))
    uid = uuid.uuid4()
    reflect_autosave(client, visit.pk, uid, "Ring my sister")
    write(client, f"Ring my sister about {TEXT}", uid=uid, private=True)  # marked private on the entry's page
    reflect_autosave(client, visit.pk, uid, f"Ring my sister about {TEXT} on Sunday")
    assert Entry.objects.get(uid=uid).private and anywhere_in_the_database(TEXT) == []
    page = client.get(f"/sessions/{visit.pk}/reflect").content.decode()
    assert f"{TEXT} on Sunday</textarea>" in page  # hers to read and refine ...
    assert not re.search(rf'name="what" value="[^"]*{TEXT}', page)  # ... but not copied into an action, stored unsealed
