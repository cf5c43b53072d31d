from __future__ import annotations

import csv
import io
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from afterglow.reports.formats import fhir
from tests.reports import full_journal
from tests.reports.helpers import export_bytes, export_zip


def front_matter(text: str) -> dict:
    head = text.split("---\n")[1]
    return {line.split(": ", 1)[0]: json.loads(line.split(": ", 1)[1]) for line in head.strip().splitlines()}


@pytest.mark.django_db
def test_markdown_has_a_file_per_entry_with_front_matter_and_media_beside(patient):
    full_journal.build(patient)
    zf = export_zip(patient, "md")
    entries = sorted(n for n in zf.namelist() if n.startswith("entries/") and n.endswith(".md"))
    assert len(entries) == 4  # the private one is left out
    after = next(n for n in entries if "-after-" in n)
    meta = front_matter(zf.read(after).decode())
    assert meta["session"].startswith("Session 1, ") and meta["kind"] == "free" and meta["tags"] == ["calm", "lake-days"]
    assert meta["private"] is False and meta["prompt"] is None
    guided = front_matter(zf.read(next(n for n in entries if "what-will-you-do" in n)).decode())
    assert guided["prompt"] == "What will you do this week?"
    drawing = next(zf.read(n).decode() for n in entries if front_matter(zf.read(n).decode())["kind"] == "drawing")
    link = drawing.split("](")[1].split(")")[0]
    assert f"entries/{link}" in zf.namelist()
    assert full_journal.PRIVATE_CANARY not in b"".join(zf.read(n) for n in zf.namelist()).decode("latin-1")
    session_page = zf.read(next(n for n in zf.namelist() if n.startswith("sessions/") and "session-1" in n)).decode()
    assert "0.5 mg/kg over 40 min" in session_page and "Meet the fear with curiosity" in session_page
    assert "Warm light" in session_page
    checkins = zf.read(next(n for n in zf.namelist() if n.startswith("checkins/"))).decode()
    assert "mood 4/10, anxiety 6/10, sleep 6.5 h, energy 3/10, pain 2/10" in checkins and "Stiff neck" in checkins


@pytest.mark.django_db
def test_markdown_includes_private_entries_only_when_asked(patient):
    full_journal.build(patient)
    zf = export_zip(patient, "md", include_private=True)
    private = [n for n in zf.namelist() if n.endswith(".md") and full_journal.PRIVATE_CANARY.encode() in zf.read(n)]
    assert len(private) == 1 and front_matter(zf.read(private[0]).decode())["private"] is True


@pytest.mark.django_db
def test_csv_has_a_row_per_checkin_and_a_column_per_measure_item(patient):
    full_journal.build(patient)
    zf = export_zip(patient, "csv")
    checkins = list(csv.DictReader(io.StringIO(zf.read("checkins.csv").decode("utf-8-sig"))))
    assert [c["mood"] for c in checkins] == ["4", "6"]
    assert checkins[0]["pain"] == "2" and checkins[0]["sleep_hours"] == "6.5" and checkins[0]["note"] == "Stiff neck"
    measures = list(csv.DictReader(io.StringIO(zf.read("measures.csv").decode("utf-8-sig"))))
    phq = next(m for m in measures if m["instrument"] == "PHQ-9")
    assert [phq[f"item_{n}"] for n in range(1, 10)] == ["1"] * 9 and phq["total"] == "9" and phq["band"] == "Mild"
    gad = next(m for m in measures if m["instrument"] == "GAD-7")
    assert gad["total"] == "" and gad["item_1"] == "2"  # unfinished: no total, answers kept
    assert "item_20" in measures[0]  # PCL-5's twenty items have their columns


@pytest.mark.django_db
def test_csv_cells_cannot_run_as_spreadsheet_formulas(patient):
    from afterglow.journal.models import CheckIn
    from tests.journal.course_factories import at, days_ago

    CheckIn.objects.create(owner=patient, at=at(days_ago(1)), mood=5, note='=HYPERLINK("http://x")')
    rows = list(csv.reader(io.StringIO(export_zip(patient, "csv").read("checkins.csv").decode("utf-8-sig"))))
    assert rows[1][-1].startswith("'=")


@pytest.mark.django_db
def test_fhir_bundle_parses_back_and_carries_loinc_totals_sessions_and_moods(patient):
    full_journal.build(patient)
    data = export_bytes(patient, "fhir")
    bundle = Bundle.model_validate_json(data)  # the whole file, read back by the FHIR models
    resources = [e.resource for e in bundle.entry]
    kinds = [r.get_resource_type() for r in resources]
    assert kinds.count("QuestionnaireResponse") == 1  # the unfinished GAD-7 is not sent
    assert kinds.count("MedicationAdministration") == 2
    total = next(r for r in resources if r.get_resource_type() == "Observation" and r.code.coding[0].system == fhir.LOINC)
    assert total.code.coding[0].code == "44261-6" and total.valueInteger == 9  # the total's code, not the panel's
    response = next(r for r in resources if r.get_resource_type() == "QuestionnaireResponse")
    assert response.questionnaire.endswith("44249-1") and response.item[0].answer[0].valueCoding.code == "LA6569-3"
    moods = [r for r in resources if r.get_resource_type() == "Observation" and r.code.coding[0].system == fhir.LOCAL_SYSTEM]
    assert [m.valueInteger for m in moods] == [4, 6]
    given = next(
        r for r in resources if r.get_resource_type() == "MedicationAdministration" and r.dosage.text == "0.5 mg/kg over 40 min"
    )
    assert given.dosage.route.coding[0].code == "47625008"
    text = data.decode()
    assert full_journal.PRIVATE_CANARY not in text and "Stiff neck" not in text and "lake" not in text


@pytest.mark.django_db
def test_pcl5_codes_come_from_the_instrument_file(patient):
    from afterglow.measures import instruments
    from afterglow.measures.models import MeasureResponse
    from tests.journal.course_factories import at, days_ago

    MeasureResponse.objects.create(owner=patient, instrument="pcl5", answers={str(n): 1 for n in range(1, 21)},
                                   started_at=at(days_ago(2)), finished_at=at(days_ago(2)))  # fmt: skip
    bundle = Bundle.model_validate_json(export_bytes(patient, "fhir"))
    total = next(e.resource for e in bundle.entry if e.resource.get_resource_type() == "Observation")
    assert total.code.coding[0].code == instruments.get("pcl5").loinc_total == "101698-9"
    assert total.valueInteger == 20
