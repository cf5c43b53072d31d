"""One Settings page that gathers every preference, each section saving to its own place.

Every section reads and saves the requesting person's own preferences (afterglow.preferences):
config.toml in local mode, their row in a clinic.

The older pages (/privacy, /settings/safety, /export…) keep their addresses; this
page links to them or shows their forms, so nothing is only reachable one way.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from afterglow import modes
from afterglow.moments import stars
from afterglow.preferences import idle
from afterglow.preferences.store import for_request
from afterglow.rhythm import preferences as rhythm_preferences
from afterglow.rhythm import views as reminders
from afterglow.rhythm.kinds import IDS, wording
from afterglow.safety import preferences as safety
from afterglow.safety.crisis import region_for
from afterglow.vault import backup
from afterglow.web import display as looks

# Pages that may not be in this build yet (paired phones, `serve --lan`): linked only once they exist.
MAYBE = {"phones": ("phones_settings",)}


@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    return page(request)


def page(request: HttpRequest, *, error: str = "", typed: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    prefs = for_request(request)
    context: dict[str, Any] = {
        "error": error,
        "themes": looks.THEMES,
        "text_sizes": looks.TEXT_SIZES,
        "idle_choices": idle.choices(),
        "idle_minutes": idle.minutes(prefs),
        "clinic_longest": idle.clinic_longest(),
        "backups": backup.listing()[:3],
        "keep": settings.VAULT_BACKUPS_KEEP,
        "region": region_for(safety.chosen_region(prefs)),
        "gentle_notes": safety.gentle_notes(prefs),
        "bring_back": stars.bring_back(prefs),
        "phones_url": _maybe("phones"),
        **reminders.form_context(request, typed=typed),
    }
    return render(request, "preferences/settings.html", context, status=status)


def _maybe(name: str) -> str:
    if not modes.current().unlocks_in_process:
        return ""  # pairing a phone over the home network is local mode's (a 404 in a clinic)
    for url_name in MAYBE[name]:
        try:
            return reverse(url_name)
        except NoReverseMatch:
            continue
    return ""


@require_POST
def save_display(request: HttpRequest) -> HttpResponse:
    try:
        looks.save(for_request(request), request.POST.get("theme", ""), request.POST.get("text", ""))
    except looks.DisplayError as error:
        return page(request, error=error.message, status=error.status)
    messages.success(request, "Saved. Every page now uses this look.")
    return redirect(reverse("settings") + "#look")


@require_POST
def save_idle(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("idle_minutes", "")
    try:
        idle.save(for_request(request), int(raw) if raw.isdigit() else -1, request)
    except idle.IdleError as error:
        return page(request, error=error.message, status=error.status)
    if modes.current().unlocks_in_process:
        messages.success(request, f"Saved. The journal locks itself after {raw} quiet minutes.")
        return redirect(reverse("settings") + "#privacy")
    messages.success(request, f"Saved. You will be signed out after {raw} quiet minutes.")
    return redirect(reverse("settings") + "#signing-out")


@require_POST
def save_reminders(request: HttpRequest) -> HttpResponse:
    chosen = {kind: request.POST.get(f"{kind}_time", "") for kind in IDS if request.POST.get(f"{kind}_on") == "on"}
    zone, detailed = request.POST.get("time_zone", ""), request.POST.get("detailed") == "on"
    try:
        if untimed := [kind for kind, at in chosen.items() if not at.strip()]:
            raise rhythm_preferences.PreferenceError(f"Please give “{wording().kind(untimed[0]).label}” a time, or untick it.")
        rhythm_preferences.save(for_request(request), {kind: chosen.get(kind, "") for kind in IDS}, zone, detailed)
    except rhythm_preferences.PreferenceError as error:
        return page(request, error=error.message, typed=chosen, status=error.status)
    if chosen:
        messages.success(request, "Saved. If your calendar has the reminders, download the calendar file again to update it.")
    else:
        messages.success(request, "Saved. All reminders are off.")
    return redirect(reverse("settings") + "#reminders")
