"""Nothing of the journal is reachable until it is unlocked (local mode), and, once unlocked,
nothing but the recovery key's page until the person says they have kept that key."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from afterglow import modes
from afterglow.access import PatientRequest
from afterglow.vault import session
from afterglow.web.middleware import Handler

# Path prefixes, literal because they match families of addresses (assets, /start/<secret>); a test keeps
# them in step with the URL names (tests/vault/test_web.py).
# Reachable while locked: health checks, crisis help, assets, and the vault's own pages; and for
# phones (afterglow/phones) the pairing page and the installable app's shell, which hold no journal.
OPEN_PREFIXES = ("/static/", "/healthz", "/help", "/pair", "/manifest.webmanifest", "/sw.js", "/offline")
VAULT_PAGES = ("/unlock", "/recover", "/setup", "/start/")
# Reachable while the recovery key waits for its "I have kept it" (besides OPEN_PREFIXES).
RECOVERY_GATE_OPEN = ("/recovery-key", "/setup/kept", "/lock")
# Asked by open pages every few seconds whether they may still show the journal: reachable while
# locked, and never counted as activity (or a page left open would keep the journal unlocked).
QUIET_PAGES = ("/lock/status",)


def vault_middleware(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        mode = modes.current()
        if not mode.unlocks_in_process or request.path.startswith(OPEN_PREFIXES):
            return get_response(request)
        session.lock_if_idle() or session.lock_if_moved() or session.lock_if_rekeyed()
        unlocked = cast(PatientRequest, request).vault_unlocked = mode.journal_open(request)
        if request.path.startswith(QUIET_PAGES):
            return get_response(request)
        if unlocked and not request.path.startswith(RECOVERY_GATE_OPEN) and not session.recovery_confirmed():
            return _send_to_recovery_key(request)
        if unlocked or request.path.startswith(VAULT_PAGES):
            if unlocked:
                session.touch()
            return get_response(request)
        return _send_to_unlock(request)

    return middleware


def _send_to_unlock(request: HttpRequest) -> HttpResponse:
    set_up = session.is_set_up()
    if request.method != "GET":
        # A form or autosave sent while locked: its page keeps the draft; tell it where to go.
        back = request.headers.get("HX-Current-URL") or request.path
        where = unlock_url(back) if set_up else reverse("vault_setup")
        # A form sent by a person (not a script) lands on a page saying so, with the way to unlock.
        response = render(request, "vault/locked_post.html", {"unlock": where}, status=401)
        response["HX-Redirect"] = where
        return response
    if not set_up:
        return HttpResponseRedirect(reverse("vault_setup"))
    return HttpResponseRedirect(unlock_url("" if request.path == reverse("home") else request.get_full_path()))


def unlock_url(back: str = "") -> str:
    """The unlock page, which goes on to `back` (a path on this site) once the journal is open."""
    return f"{reverse('unlock')}?{urlencode({'next': back})}" if back else reverse("unlock")


def _send_to_recovery_key(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        # Like a locked save: nothing is taken in, the page keeps what was typed, and it says where to go.
        response = render(request, "vault/recovery_first_post.html", status=409)
        response["HX-Redirect"] = reverse("recovery_key")
        return response
    return HttpResponseRedirect(reverse("recovery_key"))
