"""The Export page (a download) and the Import page (an upload), linked from Privacy and backups."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from afterglow.access import PatientRequest
from afterglow.journal.models import Session
from afterglow.lib.errors import UserError
from afterglow.preferences import idle
from afterglow.preferences.store import for_patient
from afterglow.reports import clinician, exporting, pdf
from afterglow.reports.formats import EXPORTS, IMPORTS, ExportOptions, export_names, exporter, import_names, importer
from afterglow.reports.progress import quiet


def _upload_limit() -> int:
    return int(settings.MEDIA_MAX_UPLOAD_BYTES)


@require_http_methods(["GET", "POST"])
def export_page(request: PatientRequest) -> HttpResponseBase:
    export_names()
    if request.method == "POST":
        name = request.POST.get("format", "")
        try:
            fmt = exporter(name)
            options = ExportOptions(include_private=request.POST.get("include_private") == "on" and fmt.private_allowed)
            exporting.check_options(fmt, options)
        except UserError as exc:
            return render(request, "reports/export.html", {"formats": EXPORTS.values(), "error": str(exc)}, status=400)
        response = StreamingHttpResponse(exporting.stream(fmt, request.patient, options), content_type=fmt.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exporting.default_name(fmt)}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "reports/export.html", {"formats": EXPORTS.values()})


@require_http_methods(["GET", "POST"])
def import_page(request: PatientRequest) -> HttpResponse:
    import_names()
    context = {"formats": IMPORTS.values(), "limit_mb": _upload_limit() // 2**20}
    if request.method == "POST":
        try:
            fmt = importer(request.POST.get("format", ""))
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
            upload = request.FILES.get("file")
            if declared > _upload_limit() or (upload is not None and upload.size and upload.size > _upload_limit()):
                raise UserError(
                    f"this file is larger than {_upload_limit() // 2**20} MB; please import it with "
                    f"`afterglow import {fmt.name} PATH` in a terminal"
                )
            if upload is None or upload.file is None:
                raise UserError("please choose a file to import")
            result = fmt.reader(request.patient, upload.file, quiet())
            if fmt.name == "json":  # an Afterglow export may bring a shorter idle time: this session follows it now
                idle.noted_again(request, for_patient(request.patient))
        except UserError as exc:
            status = 413 if "larger than" in str(exc) and "MB" in str(exc) else 400
            return render(request, "reports/import.html", {**context, "error": str(exc)}, status=status)
        messages.success(request, result.words())
        return HttpResponseRedirect(reverse("import"))
    return render(request, "reports/import.html", context)


SESSIONS_OFFERED = 60


def _report_choice(request: HttpRequest) -> clinician.Choice:
    """The form's choices, checked like the CLI's (UserError for anything a person typed wrong)."""
    data = request.POST
    return clinician.Choice(
        start=clinician.parse_day(data.get("from", ""), "first"), end=clinician.parse_day(data.get("to", ""), "last"),
        session_ids=clinician.parse_ids(data.getlist("sessions"), "session ids"),
        entry_ids=clinician.parse_ids(data.getlist("entries"), "entry ids"),
        sections=clinician.parse_sections(data.getlist("sections")),
    )  # fmt: skip


def _report_form(request: PatientRequest, choice: clinician.Choice | None, error: str = "", status: int = 200) -> HttpResponse:
    owner = request.patient
    choice = choice or clinician.Choice(entry_ids=())
    try:
        _, start, end = clinician.sessions_for(owner, choice)
    except UserError:
        _, start, end = clinician.sessions_for(owner, clinician.Choice())
    listed = clinician.listable_entries(owner, start, end, clinician.LISTED_AT_MOST)
    context = {
        "choice": choice,
        "start": start,
        "end": end,
        "sections": clinician.SECTIONS,
        "sessions": list(Session.objects.filter(owner=owner).order_by("-started_at", "-id")[:SESSIONS_OFFERED]),  # type: ignore[misc]
        "entries": listed[: clinician.LISTED_AT_MOST],
        "more_entries": len(listed) > clinician.LISTED_AT_MOST,
        "error": error,
    }
    return render(request, "reports/report_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def report_page(request: PatientRequest) -> HttpResponseBase:
    """Choose → preview in the browser → make the PDF (a download). Private entries are never offered nor taken."""
    if request.method == "GET":
        pdf.warm_in_background()
        return _report_form(request, None)
    step = request.POST.get("step", "choose")
    try:
        choice = _report_choice(request)
        if step == "choose":
            return _report_form(request, choice)
        report = clinician.gather(request.patient, choice)
    except clinician.NotAllowed:
        raise Http404("That is not something this journal can put in a report") from None
    except UserError as exc:
        return _report_form(request, None, error=str(exc), status=400)
    if step == "pdf":
        response = HttpResponse(pdf.render(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="afterglow-report-{report.prepared.isoformat()}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "reports/report_preview.html", {"report": report, "footer": pdf.footer(report)})
