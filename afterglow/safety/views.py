from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from afterglow import modes
from afterglow.access import PatientRequest
from afterglow.preferences.store import for_request
from afterglow.safety import plan as plans
from afterglow.safety import preferences
from afterglow.safety.crisis import choices, region_for, regions
from afterglow.web.background import refused


@require_GET
def help_page(request: PatientRequest) -> HttpResponse:
    # Never behind the unlock: someone in crisis must not need a passphrase.
    # ?region=GB shows another region's numbers without changing the setting (travel, a friend abroad).
    asked = request.GET.get("region", "").upper()
    context: dict[str, Any] = {"regions": choices(), "asked_region": asked in regions()}
    if asked in regions():
        context["crisis_region"] = regions()[asked]
    if modes.current().journal_open(request):  # the help page itself never needs the journal
        context["unlocked"] = True
        context["has_plan"] = plans.has_plan(request.patient)
    return render(request, "safety/help.html", context)


@require_GET
def grounding(request: HttpRequest) -> HttpResponse:
    # Under /help, so it opens while the journal is locked: breathing needs no passphrase.
    back = request.GET.get("back", "")
    safe_back = back if url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/") else ""
    return render(request, "safety/grounding.html", {"back": safe_back, "unlocked": modes.current().journal_open(request)})


@require_http_methods(["GET", "POST"])
def safety_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        code = request.POST.get("region", "").upper()
        if code not in regions():
            messages.error(request, "Please choose one of the places on the list.")
            return _settings_page(request, status=400)
        chosen = for_request(request)
        preferences.set_region(chosen, code)
        preferences.set_gentle_notes(chosen, request.POST.get("gentle_notes") == "on")
        messages.success(request, f"Saved. Crisis numbers now show for {regions()[code].name}.")
        return redirect("safety_settings")
    return _settings_page(request)


def _settings_page(request: HttpRequest, status: int = 200) -> HttpResponse:
    context = {
        "regions": choices(),
        "current": region_for(preferences.chosen_region(for_request(request))),
        "gentle_notes": preferences.gentle_notes(for_request(request)),
    }
    return render(request, "safety/settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
def safety_plan(request: PatientRequest) -> HttpResponse:
    owner = request.patient
    if request.method == "POST":
        wants_json = "application/json" in request.headers.get("Accept", "")
        try:
            values = plans.parse_form(request.POST)
        except plans.PlanError as error:
            if wants_json:
                return refused(str(error))
            typed = {s.key: request.POST.get(s.key, "") for s in plans.sections()}
            return _plan_page(request, typed, error=str(error), status=400)
        plans.save(owner, values)
        if wants_json:
            # plan.js saves as the person types, so closing the tab or a lock loses nothing.
            return JsonResponse({"ok": True, "saved_label": f"Saved {timezone.localtime():%H:%M}"})
        messages.success(request, "Your safety plan is saved.")
        return redirect("safety_plan")
    found = plans.plan_of(owner)
    return _plan_page(request, {s.key: text for s, text in plans.filled(found)}, saved=found)


def _plan_page(
    request: HttpRequest, values: dict[str, str], *, saved: Any = None, error: str = "", status: int = 200
) -> HttpResponse:
    parts = [(s, values.get(s.key, "")) for s in plans.sections()]
    return render(request, "safety/plan.html", {"parts": parts, "saved": saved, "error": error}, status=status)


@require_GET
def safety_plan_print(request: PatientRequest) -> HttpResponse:
    found = plans.plan_of(request.patient)
    return render(request, "safety/plan_print.html", {"parts": plans.filled(found), "saved": found})
