"""`afterglow export` and `afterglow import`, in-process and as real processes."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from afterglow.journal.models import Entry
from tests.cli.test_processes import afterglow, assert_one_line_refusal, env  # noqa: F401
from tests.cli.verbs import refused, run
from tests.reports import full_journal
from tests.reports.test_imports import SAMPLES, dayone_zip


@pytest.mark.django_db
def test_export_writes_the_file_named_and_says_where(patient, tmp_path):
    full_journal.build(patient)
    out = run("export", "--format", "json", "-o", str(tmp_path / "mine.zip"))
    assert "mine.zip" in out
    doc = json.loads(zipfile.ZipFile(tmp_path / "mine.zip").read("afterglow.json"))
    assert len(doc["entries"]) == 4
    run("export", "--format", "json", "--include-private", "-o", str(tmp_path / "all.zip"))
    assert len(json.loads(zipfile.ZipFile(tmp_path / "all.zip").read("afterglow.json"))["entries"]) == 5


@pytest.mark.django_db
def test_export_csv_into_a_folder_writes_two_files(patient, tmp_path):
    full_journal.build(patient)
    run("export", "--format", "csv", "-o", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkins.csv", "measures.csv"]


@pytest.mark.django_db
def test_export_refuses_an_unknown_format_and_private_fhir(patient, tmp_path):
    assert "no export format 'pdf'" in refused("export", "--format", "pdf", "-o", str(tmp_path / "x"))
    assert "never part of a fhir export" in refused("export", "--format", "fhir", "--include-private", "-o", str(tmp_path / "x"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_import_says_what_it_added_and_nothing_the_second_time(patient, tmp_path):
    path = tmp_path / "dayone.zip"
    path.write_bytes(dayone_zip())
    assert run("import", "dayone", str(path)).strip() == "Imported 2 entries, 1 photo, 1 recording."
    assert "nothing new; 2 already in your journal" in run("import", "dayone", str(path))
    assert Entry.objects.filter(owner=patient).count() == 2


@pytest.mark.django_db
def test_import_refuses_a_missing_file_and_an_unknown_format(patient, tmp_path):
    assert "no such file" in refused("import", "jrnl", str(tmp_path / "nothing.json"))
    assert "no import format 'evernote'" in refused("import", "evernote", str(SAMPLES / "jrnl-export.json"))


def test_a_bad_file_is_one_line_on_stderr_with_exit_2(env, tmp_path):  # noqa: F811
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"[2025-01-01 10:00] fine\nok\n[0000-01-01 10:00] Long ago\n")
    assert_one_line_refusal(afterglow(env, "import", "jrnl", str(bad)), "line 3")
    assert b"fine" not in afterglow(env, "export", "--format", "md", "-o", str(tmp_path / "md.zip")).stdout
    names = zipfile.ZipFile(tmp_path / "md.zip").namelist()
    assert not any(n.startswith("entries/") for n in names)  # the good first entry was not kept either


def test_a_real_process_round_trips_a_jrnl_file(env, tmp_path):  # noqa: F811
    result = afterglow(env, "import", "jrnl", str(SAMPLES / "jrnl-journal.txt"))
    assert result.returncode == 0 and b"Imported 3 entries" in result.stdout
    assert afterglow(env, "export", "--format", "json", "-o", str(tmp_path / "j.zip")).returncode == 0
    doc = json.loads(zipfile.ZipFile(io.BytesIO((tmp_path / "j.zip").read_bytes())).read("afterglow.json"))
    assert any(e["title"] == "Rang my sister." for e in doc["entries"])


def test_the_summary_counts_in_words():
    from afterglow.reports.formats import ImportResult

    said = ImportResult(added={"entries": 1, "checkins": 3, "measures": 1, "safety plans": 0}, skipped=2).words()
    assert said == "Imported 1 entry, 3 check-ins, 1 questionnaire; 2 already in your journal."
