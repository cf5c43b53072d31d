"""Taking a measure (web), its result, and the course of each measure as a chart and a table."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from afterglow.access import NotYours, PatientRequest, owned, owned_or_404
from afterglow.lib import chart_theme
from afterglow.measures import course, meaning, responses
from afterglow.measures.instruments import Instrument, get, instruments
from afterglow.measures.models import MeasureResponse
from afterglow.measures.scoring import AnswerError, clean_answers
from afterglow.preferences.store import for_request
from afterglow.safety.plan import has_plan
from afterglow.web import display
from afterglow.web.background import refused

FIELD = "item-"


def _instrument(instrument_id: str) -> Instrument:
    found = get(instrument_id)
    if found is None:
        raise Http404("no such measure")
    return found


def _posted_answers(data: Any) -> dict[str, str]:
    return {key[len(FIELD) :]: data.get(key) for key in data if key.startswith(FIELD)}


def _uid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except (ValueError, TypeError):
        return None


@require_GET
def overview(request: PatientRequest) -> HttpResponse:
    owner = request.patient
    cards = course.cards(owner, instruments().values())
    return render(request, "measures/overview.html", {"cards": cards, "due": course.suggestion(owner)})


@require_http_methods(["GET", "POST"])
def take(request: PatientRequest, instrument_id: str) -> HttpResponse:
    instrument = _instrument(instrument_id)
    owner = request.patient
    if request.method == "POST":
        return _take_post(request, instrument)
    found = responses.open_response(owner, instrument)
    given = {str(k): str(v) for k, v in found.answer_map().items()} if found else {}
    return _form(request, instrument, uid=found.uid if found else uuid.uuid4(), given=given, resumed=found is not None)


def _take_post(request: PatientRequest, instrument: Instrument) -> HttpResponse:
    uid = _uid(request.POST.get("uid", "")) or uuid.uuid4()
    posted = _posted_answers(request.POST)
    try:
        answers = clean_answers(instrument, posted)
    except AnswerError as error:
        return _form(request, instrument, uid=uid, given=posted, error=str(error), status=400)
    existing = owned(MeasureResponse, request.patient).filter(uid=uid).first()
    if not answers and not (existing and existing.answers):
        return _form(request, instrument, uid=uid, given=posted, error="Please answer at least one question first.", status=400)
    try:
        saved = responses.save_answers(request.patient, instrument, uid, answers)
    except NotYours:
        raise Http404("no such questionnaire") from None
    if request.POST.get("go") == "later":
        messages.success(request, f"Saved. Your {instrument.name} waits for you here, just as you left it.")
        return redirect("measures")
    responses.finish(saved)
    return redirect("measure_result", response_id=saved.pk)


def _form(
    request: PatientRequest,
    instrument: Instrument,
    *,
    uid: uuid.UUID,
    given: dict[str, str],
    resumed: bool = False,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    owner = request.patient
    items = [(item, given.get(str(item.number), "")) for item in instrument.items]
    context = {
        "instrument": instrument,
        "items": items,
        "answered": sum(1 for item, value in items if item.scored and value != ""),
        "uid": uid,
        "resumed": resumed,
        "error": error,
        "overlap": course.recent_overlap(owner, instrument),
        "has_plan": has_plan(owner),
    }
    return render(request, "measures/take.html", context, status=status)


@require_POST
def answer(request: PatientRequest, instrument_id: str) -> JsonResponse:
    """Autosave: one (or a few) answers at a time, so leaving half-way loses nothing."""
    instrument = _instrument(instrument_id)
    uid = _uid(request.POST.get("uid", ""))
    if uid is None:
        return refused("This page lost track of its questionnaire. Please reload it.")
    try:
        answers = clean_answers(instrument, _posted_answers(request.POST))
        saved = responses.save_answers(request.patient, instrument, uid, answers)
    except AnswerError as error:
        return refused(str(error))
    except NotYours:
        return refused("There is no such questionnaire.", 404)
    score = responses.scoring.score(instrument, saved.answer_map())
    return JsonResponse(
        {"ok": True, "saved_label": f"Saved {timezone.localtime():%H:%M}", "answered": score.answered, "crisis": score.crisis}
    )


@require_GET
def result(request: PatientRequest, response_id: int) -> HttpResponse:
    found = owned_or_404(MeasureResponse, request, pk=response_id, finished_at__isnull=False)
    instrument = _instrument(found.instrument)
    outcome = responses.result(instrument, found)
    context = {
        "instrument": instrument,
        "result": outcome,
        "score": outcome.score,
        "headline": meaning.headline(outcome),
        "notes": meaning.notes(outcome),
        "answers": [(item, outcome.score.answers.get(item.number)) for item in instrument.items],
        "has_plan": has_plan(request.patient),
    }
    return render(request, "measures/result.html", context)


@require_GET
def chart(request: PatientRequest, instrument_id: str) -> HttpResponse:
    instrument = _instrument(instrument_id)
    svg = course.chart(request.patient, instrument)
    return HttpResponse(chart_theme.themed(svg, display.load(for_request(request)).theme), content_type="image/svg+xml")
