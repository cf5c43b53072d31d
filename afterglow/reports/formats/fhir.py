"""FHIR for a clinic's record system: a Bundle (type collection) of standard resources.

- a QuestionnaireResponse for each finished questionnaire (answers LOINC-coded where the
  instrument file has codes) and an Observation for its total (the total's LOINC code,
  never the panel's), pointing back at the response;
- each session as a MedicationAdministration: ketamine, the route, the dose as written;
- each check-in's mood as an Observation in Afterglow's own, clearly named code system,
  with anxiety, sleep, energy and pain as components. Check-in notes and journal entries
  are never included.

The models are fhir.resources' R4B package (FHIR 4.3.0, which keeps R4's shape for these
resources). Every resource is built and checked by its model before it is written, and
the Bundle streams out entry by entry; tests parse the whole file back as a Bundle.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from afterglow.journal.models import CheckIn, Route, Session
from afterglow.measures import instruments, scoring
from afterglow.measures.models import MeasureResponse
from afterglow.reports.formats import EXPORTS, ExportFormat, ExportOptions, Target
from afterglow.reports.progress import Progress

FHIR_VERSION = "4.3.0 (R4B)"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
# Afterglow's own codes for what a check-in records: not a standard terminology, and named so no one takes it for one.
LOCAL_SYSTEM = "urn:afterglow:codesystem:self-check-in"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ROUTES = {  # SNOMED CT route of administration
    Route.IV: ("47625008", "Intravenous route"),
    Route.IM: ("78421000", "Intramuscular route"),
    Route.NASAL: ("46713006", "Nasal route"),
    Route.ORAL: ("26643006", "Oral route"),
}
CHECKIN_PARTS = {
    "mood": "Self-rated mood, 1 (very low) to 10 (very good)",
    "anxiety": "Self-rated anxiety, 0 (none) to 10 (overwhelming)",
    "sleep_hours": "Hours slept the night before, as reported",
    "energy": "Self-rated energy, 1 (drained) to 10 (full of energy)",
    "pain": "Self-rated pain, 0 (none) to 10 (worst imaginable)",
}


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _checked(model: Any, resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as its fhir.resources model writes it: refused here if it is not valid FHIR."""
    built = model.model_validate(resource)
    return json.loads(built.model_dump_json(exclude_none=True))


def write(target: Target, owner: Any, options: ExportOptions, progress: Progress) -> Iterator[None]:
    with target.member("afterglow-fhir.json") as out:
        head = {"resourceType": "Bundle", "id": str(uuid.uuid4()), "type": "collection", "timestamp": _when(timezone.now())}
        out.write(json.dumps(head)[:-1].encode() + b', "entry": [')
        first = True

        def put(url: str, resource: dict[str, Any]) -> None:
            nonlocal first
            record = json.dumps({"fullUrl": url, "resource": resource}, ensure_ascii=False).encode()
            out.write((b"\n" if first else b",\n") + record)
            first = False
            progress.tick()

        patient = _urn()
        put(patient, _checked(Patient, {"resourceType": "Patient", "active": True}))
        subject = {"reference": patient}
        for resource in _measures(owner, subject):
            put(*resource)
        yield
        for session in Session.objects.filter(owner=owner).order_by("started_at", "pk").iterator(500):
            put(_urn(), _session(session, subject))
        yield
        for checkin in CheckIn.objects.filter(owner=owner).order_by("at", "pk").iterator(2000):
            put(_urn(), _checkin(checkin, subject))
            if progress.count % 1000 == 0:
                yield
        out.write(b"\n]}\n")
    yield


def _measures(owner: Any, subject: dict[str, str]) -> Iterator[tuple[str, dict[str, Any]]]:
    known = instruments.instruments()
    rows = MeasureResponse.objects.filter(owner=owner, finished_at__isnull=False).order_by("started_at", "pk")
    for m in rows.iterator(1000):
        instrument = known.get(m.instrument)
        if instrument is None:
            continue
        result = scoring.score(instrument, m.answer_map())
        if not result.complete or result.total is None:
            continue
        when = _when(m.finished_at or m.updated_at)
        items = []
        for item in instrument.items:
            value = result.answers.get(item.number)
            if value is None:
                continue
            option = next((o for o in item.options if o.value == value), None)
            answer: dict[str, Any]
            if option is not None and option.loinc:
                answer = {"valueCoding": {"system": LOINC, "code": option.loinc, "display": option.label}}
            else:
                answer = {"valueInteger": value}
            entry: dict[str, Any] = {"linkId": str(item.number), "text": item.text, "answer": [answer]}
            if item.loinc:
                entry["definition"] = f"{LOINC}/{item.loinc}"
            items.append(entry)
        response_url = _urn()
        response: dict[str, Any] = {
            "resourceType": "QuestionnaireResponse", "status": "completed", "authored": when, "subject": subject,
            "item": items,
        }  # fmt: skip
        if instrument.loinc_panel:
            response["questionnaire"] = f"http://loinc.org/q/{instrument.loinc_panel}"
        yield response_url, _checked(QuestionnaireResponse, response)
        code: dict[str, Any] = {"text": f"{instrument.name} total score"}
        if instrument.loinc_total:
            code["coding"] = [{"system": LOINC, "code": instrument.loinc_total, "display": f"{instrument.name} total score"}]
        observation: dict[str, Any] = {
            "resourceType": "Observation", "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "survey", "display": "Survey"}]}],
            "code": code, "subject": subject, "effectiveDateTime": when, "valueInteger": result.total,
            "derivedFrom": [{"reference": response_url}],
        }  # fmt: skip
        if result.band is not None:
            observation["interpretation"] = [{"text": result.band.name}]
        yield _urn(), _checked(Observation, observation)


def _session(session: Session, subject: dict[str, str]) -> dict[str, Any]:
    dosage: dict[str, Any] = {}
    if session.route:
        code, display = ROUTES[Route(session.route)]
        dosage["route"] = {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": session.get_route_display()}
    if session.dose:
        dosage["text"] = session.dose
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration", "status": "completed",
        "medicationCodeableConcept": {"text": "Ketamine"}, "subject": subject,
        "effectiveDateTime": _when(session.started_at),
        "note": [{"text": f"Session {session.number} of the course, as recorded by the patient"}],
    }  # fmt: skip
    if dosage:
        resource["dosage"] = dosage
    return _checked(MedicationAdministration, resource)


def _checkin(checkin: CheckIn, subject: dict[str, str]) -> dict[str, Any]:
    def concept(name: str) -> dict[str, Any]:
        return {"coding": [{"system": LOCAL_SYSTEM, "code": name.replace("_hours", ""), "display": CHECKIN_PARTS[name]}],
                "text": CHECKIN_PARTS[name]}  # fmt: skip

    components = []
    for name in ("anxiety", "sleep_hours", "energy", "pain"):
        value = getattr(checkin, name)
        if value is None:
            continue
        if name == "sleep_hours":
            components.append({"code": concept(name), "valueQuantity": {"value": float(value), "unit": "h",
                               "system": "http://unitsofmeasure.org", "code": "h"}})  # fmt: skip
        else:
            components.append({"code": concept(name), "valueInteger": value})
    resource: dict[str, Any] = {
        "resourceType": "Observation", "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": concept("mood"), "subject": subject, "effectiveDateTime": _when(checkin.at), "valueInteger": checkin.mood,
    }  # fmt: skip
    if components:
        resource["component"] = components
    return _checked(Observation, resource)


EXPORTS["fhir"] = ExportFormat(
    "fhir", "FHIR for your clinic's records",
    "A FHIR Bundle (JSON): finished questionnaires with their LOINC-coded totals, your sessions, and check-in moods. "
    "No journal entries and no notes.",
    write, single_file=True, private_allowed=False,
)  # fmt: skip
