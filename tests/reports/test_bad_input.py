"""Files that are wrong or made to harm: a clear message, nothing imported, nothing written outside the journal."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from afterglow.journal.models import CheckIn, Course, Entry
from afterglow.lib.errors import UserError
from afterglow.reports import safezip
from afterglow.reports.formats import exporter, importer
from afterglow.reports.progress import quiet
from tests.reports.test_imports import SAMPLES, afterglow_zip, dayone_zip, run


def refused(owner, name: str, data: bytes) -> str:
    with pytest.raises(UserError) as caught:
        run(owner, name, data)
    assert Entry.objects.filter(owner=owner).count() == 0
    assert CheckIn.objects.filter(owner=owner).count() == 0
    assert Course.objects.filter(owner=owner).count() == 0
    return str(caught.value)


def test_it_refuses_an_unsupported_format_name():
    with pytest.raises(UserError, match="no import format 'evernote'"):
        importer("evernote")
    with pytest.raises(UserError, match="no export format 'pdf'"):
        exporter("pdf")


@pytest.mark.django_db
def test_it_refuses_an_upload_that_is_not_a_zip(patient):
    assert "not a zip" in refused(patient, "dayone", b"just some text, not a zip")
    assert "not a zip" in refused(patient, "json", b"{}")


@pytest.mark.django_db
def test_it_refuses_a_zip_bomb_without_unpacking_it(patient):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Journal.json", b"0" * (30 * 1024 * 1024))  # 30 MB of zeros packs into ~30 KB
    assert "looks made to harm" in refused(patient, "dayone", out.getvalue())


@pytest.mark.django_db
def test_it_counts_what_a_member_really_unpacks_to(patient, monkeypatch):
    # A zip may claim a small size and unpack to far more; the reader stops at what was claimed.
    reader = safezip.CountedReader(io.BytesIO(b"x" * 5000), 100, "Journal.json")
    with pytest.raises(UserError, match="more than it claims"):
        reader.read()


@pytest.mark.django_db
def test_it_refuses_paths_outside_the_zip_and_writes_no_file(patient, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = dayone_zip(extra={"../../escaped.txt": b"gotcha"})
    assert "outside its own folder" in refused(patient, "dayone", data)
    assert not any(tmp_path.rglob("*")) and not (tmp_path.parent.parent / "escaped.txt").exists()


@pytest.mark.django_db
def test_it_refuses_valid_json_that_is_not_the_schema(patient):
    assert "not an Afterglow export" in refused(patient, "json", afterglow_zip(json.dumps({"entries": [{"text": "hi"}]})))
    assert "not a jrnl JSON export" in refused(patient, "jrnl", json.dumps({"notes": []}).encode())
    bad = {"format": "afterglow-journal", "schema_version": 1, "checkins": [{"id": 1, "at": "2025-01-01T08:00:00Z", "mood": 42}]}
    message = refused(patient, "json", afterglow_zip(json.dumps(bad)))
    assert "checkins record 1" in message and "mood" in message


@pytest.mark.django_db
def test_it_names_the_bad_entry_and_keeps_none_of_the_good_ones(patient):
    doc = json.loads((SAMPLES / "jrnl-export.json").read_text())
    doc["entries"].append({"date": "0000-01-01", "time": "10:00", "title": "Year 0", "body": "", "tags": [], "starred": False})
    message = refused(patient, "jrnl", json.dumps(doc).encode())
    assert message.startswith("entry 3:")


@pytest.mark.django_db
def test_it_refuses_a_date_in_the_year_0_in_every_format(patient):
    assert "line 1" in refused(patient, "jrnl", b"[0000-01-01 10:00] Long ago\nbody\n")
    bad = {"format": "afterglow-journal", "schema_version": 1, "courses": [{"id": 1, "start_date": "0000-01-01"}]}
    assert "courses record 1" in refused(patient, "json", afterglow_zip(json.dumps(bad)))
    journal = {"entries": [{"uuid": "A1", "creationDate": "0000-01-01T00:00:00Z", "text": "x"}]}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("Journal.json", json.dumps(journal))
    assert "entry 1" in refused(patient, "dayone", out.getvalue())


@pytest.mark.django_db
def test_it_refuses_ten_megabytes_in_one_entry(patient):
    huge = "word " * (2 * 1024 * 1024)
    doc = {"entries": [{"date": "2025-01-01", "time": "10:00", "title": "Big", "body": huge, "tags": [], "starred": False}]}
    assert "longer than" in refused(patient, "jrnl", json.dumps(doc).encode())
    assert "longer than" in refused(patient, "jrnl", f"[2025-01-01 10:00] Big\n{huge}\n".encode())


@pytest.mark.django_db
def test_it_refuses_a_newer_schema_version(patient):
    doc = {"format": "afterglow-journal", "schema_version": 99}
    assert "newer Afterglow" in refused(patient, "json", afterglow_zip(json.dumps(doc)))


@pytest.mark.django_db
def test_it_refuses_text_before_the_first_jrnl_entry(patient):
    assert "line 1" in refused(patient, "jrnl", b"hello\n[2025-01-01 10:00] x\n")


def test_export_files_are_only_the_one_asked_for(tmp_path, patient):
    from afterglow.reports.exporting import to_path
    from afterglow.reports.formats import ExportOptions

    written = to_path(exporter("csv"), patient, ExportOptions(), tmp_path / "out.zip", quiet())
    assert os.listdir(tmp_path) == ["out.zip"] and written == tmp_path / "out.zip"
    with pytest.raises(UserError, match="never part of a fhir export"):
        to_path(exporter("fhir"), patient, ExportOptions(include_private=True), tmp_path / "f.json", quiet())
    assert not (tmp_path / "f.json").exists() and not Path(tmp_path / "f.json.partial").exists()
