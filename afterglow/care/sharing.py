"""The consent rule: what a clinician may read of a patient, asked afresh on every request, and every read recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from afterglow.care.models import AuditRecord, Category, Consent
from afterglow.clinic.models import Role
from afterglow.clinic.throttle import client_address
from afterglow.journal.models import Entry

# What each category means, in the words the patient reads on "What Dr X can see".
PLAIN = {
    Category.SESSIONS: "your sessions (date, route, dose) and the intentions you set for them",
    Category.CHECKINS: "your check-ins: mood, anxiety, sleep, energy and pain, with their notes, and the mood chart",
    Category.MEASURES: "your questionnaires (such as the PHQ-9 and GAD-7): totals, answers and their charts",
    Category.SIDE_EFFECTS: "the body effects you marked after each session, and how strong they were",
    Category.ENTRIES: "only the entries you picked below, never a private one",
}
# How the audit trail names each kind of read, for the patient ("Dr X looked at your measures").
READS = {
    "overview": "saw you on their list of patients",
    "patient": "opened your page",
    Category.SESSIONS: "looked at your sessions and intentions",
    Category.CHECKINS: "looked at your check-ins",
    Category.MEASURES: "looked at your questionnaires",
    Category.SIDE_EFFECTS: "looked at your side effects",
    Category.ENTRIES: "read the entries you picked",
}


def clinicians() -> QuerySet[User]:
    return User.objects.filter(member__role=Role.CLINICIAN, is_active=True).order_by("first_name", "username")


def display_name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def consent_between(patient: Any, clinician: Any) -> Consent | None:
    return Consent.objects.filter(patient=patient, clinician=clinician).first()


def set_consent(patient: Any, clinician: Any, categories: list[str], entry_ids: list[int]) -> Consent:
    """Replace what `patient` shares with `clinician` (nothing at all withdraws it). Private or others' entries are dropped."""
    chosen = [c for c in Category.values if c in categories]
    consent, _ = Consent.objects.get_or_create(patient=patient, clinician=clinician)
    consent.categories = chosen
    consent.updated_at = timezone.now()
    consent.save()
    picked = Entry.objects.filter(owner=patient, private=False, pk__in=entry_ids) if Category.ENTRIES in chosen else []
    consent.entries.set(picked)
    return consent


def shared_entries(consent: Consent) -> QuerySet[Entry]:
    """The picked entries that are still the patient's, not private, and not in the bin."""
    return consent.entries.filter(owner=consent.patient_id, private=False).order_by("-created_at")


def patients_of(clinician: Any) -> list[Consent]:
    """The consents that share something with this clinician, patient loaded."""
    rows = Consent.objects.filter(clinician=clinician, patient__is_active=True).exclude(categories=[]).select_related("patient")
    return [c for c in rows if c.shares_anything]


def consent_for(request: HttpRequest, patient_id: int, category: str | None = None) -> Consent:
    """The consent this signed-in clinician holds for this patient: 404 without any, 403 without this category."""
    user = request.user
    if not isinstance(user, User) or getattr(getattr(user, "member", None), "role", None) != Role.CLINICIAN:
        raise PermissionDenied("Only a clinician sees what patients share.")
    consent = Consent.objects.filter(clinician=user, patient_id=patient_id).select_related("patient").first()
    if consent is None or not consent.shares_anything or not consent.patient.is_active:
        raise Http404("No patient shares with you under that number.")
    if category is not None and not consent.allows(category):
        raise PermissionDenied("This patient does not share that with you.")
    return consent


def record(request: HttpRequest, patients: list[Any], what: str | list[str]) -> None:
    """One audit row per patient whose data this request reads, and per kind of data read (in one insert)."""
    if not isinstance(request.user, User):
        raise PermissionDenied("Only a signed-in clinician reads a patient's data.")
    address = client_address(request)[:64]
    path = request.get_full_path()[:300]
    now = timezone.now()
    kinds = [what] if isinstance(what, str) else what
    AuditRecord.objects.bulk_create(
        AuditRecord(clinician=request.user, patient=p, what=w, path=path, address=address, at=now)
        for p in patients
        for w in kinds
    )


def trail_of(patient: Any, limit: int = 2000) -> list[dict[str, Any]]:
    """The patient's own trail, newest first, in plain words; the same look by the same person on one day is one line."""
    rows = AuditRecord.objects.filter(patient=patient).select_related("clinician").order_by("-at")[:limit]
    lines: dict[tuple[str, str, date], dict[str, Any]] = {}
    for r in rows:
        at = timezone.localtime(r.at)
        who, did = display_name(r.clinician), READS.get(r.what, f"looked at your {r.what}")
        line = lines.setdefault((who, did, at.date()), {"who": who, "did": did, "at": at, "times": 0})
        line["times"] += 1
    return list(lines.values())  # newest first: each line is where its newest look put it
