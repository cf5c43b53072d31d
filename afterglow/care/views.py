"""The patient's sharing pages and trail, the clinician's list and patient pages, the admin's audit export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from afterglow.care import needs, sharing
from afterglow.care.models import AuditRecord, Category, Consent
from afterglow.clinic.models import Role
from afterglow.clinic.roles import role_of
from afterglow.insights import charts as mood_charts
from afterglow.insights import days
from afterglow.journal.models import Capture, CheckIn, Entry, Session
from afterglow.measures import course as measure_course
from afterglow.measures import meaning
from afterglow.measures.instruments import get as get_instrument
from afterglow.measures.instruments import instruments
from afterglow.reports import clinician as report_data
from afterglow.reports import pdf
from afterglow.safety import side_effects


def _patient_only(request: HttpRequest) -> Any:
    if role_of(request.user) != Role.PATIENT:
        raise PermissionDenied("Only a patient chooses what they share.")
    return request.user


# The patient's side ---------------------------------------------------------------------------------


@require_GET
def sharing_overview(request: HttpRequest) -> HttpResponse:
    patient = _patient_only(request)
    given = {c.clinician_id: c for c in Consent.objects.filter(patient=patient)}
    rows = [
        {"clinician": c, "name": sharing.display_name(c), "labels": [Category(x).label for x in given[c.pk].categories]}
        if c.pk in given
        else {"clinician": c, "name": sharing.display_name(c), "labels": []}
        for c in sharing.clinicians()
    ]
    return render(request, "care/sharing.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def sharing_with(request: HttpRequest, clinician_id: int) -> HttpResponse:
    patient = _patient_only(request)
    clinician = get_object_or_404(sharing.clinicians(), pk=clinician_id)
    if request.method == "POST":
        if "withdraw" in request.POST:
            sharing.set_consent(patient, clinician, [], [])
        else:
            ids = [int(x) for x in request.POST.getlist("entries") if x.isdigit()]
            sharing.set_consent(patient, clinician, request.POST.getlist("categories"), ids)
        return redirect("care_sharing_with", clinician_id=clinician.pk)
    consent = sharing.consent_between(patient, clinician)
    chosen = consent.categories if consent else []
    picked = set(sharing.shared_entries(consent).values_list("pk", flat=True)) if consent else set()
    entries = Entry.objects.filter(owner=patient, private=False).order_by("-created_at")[:200]
    context = {
        "clinician": clinician,
        "name": sharing.display_name(clinician),
        "categories": [
            {"value": c.value, "label": c.label, "plain": sharing.PLAIN[c], "on": c.value in chosen} for c in Category
        ],
        "sees": [sharing.PLAIN[Category(c)] for c in chosen if c != Category.ENTRIES],
        "entries": [{"entry": e, "on": e.pk in picked} for e in entries],
        "shared_entries": [e for e in entries if e.pk in picked] if Category.ENTRIES in chosen else [],
        "private_count": Entry.objects.filter(owner=patient, private=True).count(),
    }
    return render(request, "care/sharing_with.html", context)


@require_GET
def trail(request: HttpRequest) -> HttpResponse:
    patient = _patient_only(request)
    return render(request, "care/trail.html", {"rows": sharing.trail_of(patient)})


# The clinician's side --------------------------------------------------------------------------------


@require_GET
def patients(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) != Role.CLINICIAN:
        raise PermissionDenied("Only a clinician has a list of patients.")
    found = needs.ordered(sharing.patients_of(request.user))
    sharing.record(request, [n.patient for n in found], "overview")
    return render(request, "care/patients.html", {"needs": found})


@require_GET
def patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    consent = sharing.consent_for(request, patient_id)
    shown = [c for c in Category if consent.allows(c)]
    sections = {c.value: _section(consent, c) for c in shown}
    sharing.record(request, [consent.patient], [c.value for c in shown])
    need = needs.need_of(consent, timezone.now())
    return render(request, "care/patient.html", {"consent": consent, "need": need, "sections": sections, "name": need.name})


@require_GET
def patient_part(request: HttpRequest, patient_id: int, category: str) -> HttpResponse:
    if category not in Category.values:
        raise Http404("No such part of a patient's page.")
    consent = sharing.consent_for(request, patient_id, category)
    sharing.record(request, [consent.patient], category)
    sections = {category: _section(consent, Category(category))}
    context = {"consent": consent, "name": sharing.display_name(consent.patient), "sections": sections}
    return render(request, "care/patient_part.html", context)


# The clinician report's sections that each consent category allows (the report's "actions" are never shared).
REPORT_SECTIONS = {
    Category.SESSIONS: "sessions",
    Category.SIDE_EFFECTS: "side_effects",
    Category.CHECKINS: "charts",
    Category.MEASURES: "measures",
    Category.ENTRIES: "entries",
}


@require_GET
def patient_report(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The clinician report of the earlier issue as a PDF, holding only the sections this clinician is shared."""
    consent = sharing.consent_for(request, patient_id)
    shown = [c for c in Category if consent.allows(c)]
    entry_ids = tuple(sharing.shared_entries(consent).values_list("pk", flat=True)) if consent.allows(Category.ENTRIES) else ()
    choice = report_data.Choice(sections=tuple(REPORT_SECTIONS[c] for c in shown), entry_ids=entry_ids)
    report = report_data.gather(consent.patient, choice)
    sharing.record(request, [consent.patient], [c.value for c in shown])
    response = HttpResponse(pdf.render(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="afterglow-report-{report.prepared.isoformat()}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def measure_chart(request: HttpRequest, patient_id: int, instrument_id: str) -> HttpResponse:
    consent = sharing.consent_for(request, patient_id, Category.MEASURES)
    instrument = get_instrument(instrument_id)
    if instrument is None:
        raise Http404("No such questionnaire.")
    sharing.record(request, [consent.patient], Category.MEASURES)
    return HttpResponse(measure_course.chart(consent.patient, instrument), content_type="image/svg+xml")


@require_GET
def mood_chart(request: HttpRequest, patient_id: int) -> HttpResponse:
    consent = sharing.consent_for(request, patient_id, Category.CHECKINS)
    sharing.record(request, [consent.patient], Category.CHECKINS)
    marks = [(timezone.localtime(s.started_at).date(), s.number) for s in Session.objects.filter(owner=consent.patient)]
    return HttpResponse(mood_charts.mood_svg(days.daily(consent.patient), marks), content_type="image/svg+xml")


def _section(consent: Consent, category: Category) -> dict[str, Any]:
    who = consent.patient
    if category == Category.SESSIONS:
        held = Session.objects.filter(owner=who).prefetch_related("intentions").order_by("-started_at")
        return {"sessions": [{"session": s, "intentions": list(s.intentions.all())} for s in held]}
    if category == Category.CHECKINS:
        recent = list(CheckIn.objects.filter(owner=who).order_by("-at")[:60])
        return {"checkins": recent, "has_any": bool(recent)}
    if category == Category.MEASURES:
        cards = []
        read = needs.histories([who.pk])  # one query for every instrument, not two each
        taken = [i for i in instruments().values() if read.get((who.pk, i.id))]
        for instrument, card in zip(taken, measure_course.cards(who, taken), strict=True):
            latest = needs.result_of(instrument, read[(who.pk, instrument.id)])
            cards.append({
                "instrument": instrument, "card": card, "headline": meaning.headline(latest),
                "change": latest.change, "crisis": latest.score.crisis,
            })  # fmt: skip
        return {"cards": cards}
    if category == Category.SIDE_EFFECTS:
        rows: list[dict[str, Any]] = []
        for capture in Capture.objects.filter(owner=who).select_related("session").order_by("-session__started_at"):
            marked = []
            for key, level in (capture.sensations or {}).items():
                found, strength = side_effects.effect(key), side_effects.as_level(level)
                if found is not None and strength:
                    marked.append({"name": needs.effect_label(key), "level": needs.level_word(strength), "kind": found.kind,
                                   "warning": found.kind == "warning" and found.advises(level)})  # fmt: skip
            if marked:
                rows.append({"session": capture.session, "marked": marked})
        return {"captures": rows}
    return {"entries": list(sharing.shared_entries(consent))}


# The admin's export ---------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # never a formula in a spreadsheet


@require_GET
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    if role_of(request.user) != Role.ADMIN:
        raise PermissionDenied("Only the clinic admin exports the audit trail.")
    writer = csv.writer(_Echo())
    names = dict(User.objects.values_list("pk", "username"))

    def rows() -> Iterator[str]:
        yield writer.writerow(["at (UTC)", "clinician", "patient", "what", "page", "address"])
        for r in AuditRecord.objects.order_by("at", "pk").iterator(chunk_size=2000):
            cells = (r.at.isoformat(), names.get(r.clinician_id, ""), names.get(r.patient_id, ""), r.what, r.path, r.address)
            yield writer.writerow([_cell(x) for x in cells])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="afterglow-audit.csv"'
    return response
