"""The Export and Import pages, without a browser."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from afterglow.journal.models import Entry
from tests.conftest import csrf_post
from tests.reports import full_journal
from tests.reports.test_imports import SAMPLES, dayone_zip


def test_privacy_page_links_to_export_and_import(client):
    page = client.get("/privacy").content.decode()
    assert 'href="/export"' in page and 'href="/import"' in page


def test_export_page_offers_every_format_and_private_is_off(client):
    page = client.get("/export").content.decode()
    for name in ("json", "md", "csv", "fhir"):
        assert f'value="{name}"' in page
    assert 'name="include_private" aria-describedby="hint-private">' in page  # not checked


@pytest.mark.django_db
def test_export_page_downloads_a_zip_without_private_entries(client, patient):
    full_journal.build(patient)
    response = csrf_post(client, "/export", {"format": "json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="afterglow-json-')
    data = b"".join(response.streaming_content)
    doc = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("afterglow.json"))
    assert len(doc["entries"]) == 4 and full_journal.PRIVATE_CANARY.encode() not in data
    with_private = b"".join(csrf_post(client, "/export", {"format": "md", "include_private": "on"}).streaming_content)
    assert full_journal.PRIVATE_CANARY.encode() in b"".join(
        zipfile.ZipFile(io.BytesIO(with_private)).read(n) for n in zipfile.ZipFile(io.BytesIO(with_private)).namelist()
    )


@pytest.mark.django_db
def test_export_page_never_puts_private_entries_in_fhir(client, patient):
    full_journal.build(patient)
    response = csrf_post(client, "/export", {"format": "fhir", "include_private": "on"})
    assert response["Content-Type"] == "application/fhir+json"
    assert full_journal.PRIVATE_CANARY.encode() not in b"".join(response.streaming_content)


def test_export_page_refuses_an_unknown_format_kindly(client):
    response = csrf_post(client, "/export", {"format": "pdf"})
    assert response.status_code == 400 and "no export format" in response.content.decode()


def test_export_and_import_need_the_csrf_token(client):
    assert client.post("/export", {"format": "json"}).status_code == 403
    assert client.post("/import", {"format": "jrnl"}).status_code == 403


@pytest.mark.django_db
def test_import_page_takes_an_upload_and_says_what_it_added(client, patient):
    upload = SimpleUploadedFile("journal.json", (SAMPLES / "jrnl-export.json").read_bytes())
    response = csrf_post(client, "/import", {"format": "jrnl", "file": upload})
    assert response.status_code == 302
    assert "Imported 2 entries" in client.get("/import").content.decode()
    assert Entry.objects.filter(owner=patient).count() == 2


@pytest.mark.django_db
def test_import_page_refuses_a_file_that_is_not_a_zip_and_keeps_nothing(client, patient):
    upload = SimpleUploadedFile("journal.zip", b"this is not a zip")
    response = csrf_post(client, "/import", {"format": "dayone", "file": upload})
    assert response.status_code == 400 and "not a zip" in response.content.decode()
    assert Entry.objects.filter(owner=patient).count() == 0


@pytest.mark.django_db
def test_import_page_refuses_a_file_over_the_limit(client, patient, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1024
    upload = SimpleUploadedFile("dayone.zip", dayone_zip())
    response = csrf_post(client, "/import", {"format": "dayone", "file": upload})
    assert response.status_code == 413 and "afterglow import dayone" in response.content.decode()
    assert Entry.objects.filter(owner=patient).count() == 0


@pytest.mark.django_db
def test_import_page_asks_for_a_file(client):
    response = csrf_post(client, "/import", {"format": "jrnl"})
    assert response.status_code == 400 and "choose a file" in response.content.decode()


def test_opening_the_report_page_warms_the_pdf_machinery_once_per_process(client, patient, monkeypatch):
    import threading

    from afterglow.reports import pdf

    calls: list[int] = []
    monkeypatch.setattr(pdf, "_warmed", False)
    monkeypatch.setattr(pdf, "warm", lambda: calls.append(1))
    for _ in range(3):
        assert client.get("/report").status_code == 200
    for thread in threading.enumerate():
        if thread.name == "afterglow-report-warm":
            thread.join(5)
    assert calls == [1]
