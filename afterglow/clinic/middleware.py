"""Clinic mode: nothing but the open pages before signing in, and each role only where it belongs."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device

from afterglow import modes
from afterglow.clinic.models import Role
from afterglow.clinic.roles import needs_second_factor_now, role_of
from afterglow.web.middleware import Handler
from afterglow.web.views import not_found

# Reachable without signing in: assets, the health check, crisis help, and the ways in. (Paths, not
# names: they are matched as prefixes here, as the vault middleware matches its own.)
OPEN_PREFIXES = ("/static/", "/healthz", "/help", "/login", "/invite/")
# Reachable after the password, before the second factor.
SECOND_FACTOR_PAGES = ("/login/verify", "/account/authenticator", "/logout")
# The clinic's own pages (accounts, invites); the journal is everything else, and only for patients.
CLINIC_PREFIXES = ("/clinic/", "/account/", "/logout")
# A signed-in session ends after the clinic's idle time without a request. Writing the session row on every
# page to push that end costs two round trips each; once a minute is enough (the end comes at most a minute
# early). The session's own writes (sign-in, a patient's shorter idle time) push it as before.
REFRESH_SECONDS = 60
TOUCHED = "afterglow_touched"


def _now() -> int:
    return int(time.time())


def session_refresh_middleware(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        session = getattr(request, "session", None)
        if session is None or not modes.current().clinic or session.modified:
            return response
        if SESSION_KEY in session and _now() - int(session.get(TOUCHED, 0)) >= REFRESH_SECONDS:
            session[TOUCHED] = _now()  # SessionMiddleware, outside this one, saves it with a new end
        return response

    return middleware


def sign_in_middleware(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        if not modes.current().clinic:
            return get_response(request)
        if _local_only_page(request.path):
            return not_found(request)
        if request.path.startswith(OPEN_PREFIXES):
            return get_response(request)
        user = request.user
        if not user.is_authenticated:
            return _to_login(request)
        role = role_of(user)
        request.__dict__["clinic_role"] = role  # for the header's Sign out button
        if needs_second_factor_now(user) and not request.path.startswith(SECOND_FACTOR_PAGES):
            return redirect("clinic_verify" if user_has_device(user, confirmed=True) else "clinic_authenticator")
        if role is None:
            return _refuse(request)
        if request.path.startswith(CLINIC_PREFIXES) or role == Role.PATIENT:
            return get_response(request)
        if request.path == reverse("home"):
            return redirect("clinic_home")
        return _refuse(request)  # a clinician or admin has no journal of their own to open

    return middleware


# Local mode's own pages: the vault (passphrase, lock, local backups) and phone pairing over the LAN.
# They stay routed, so templates can name them, and answer 404 in a clinic.
LOCAL_ONLY_APPS = ("afterglow.vault.", "afterglow.phones.")


def _local_only_page(path: str) -> bool:
    try:
        view = resolve(path).func
    except Resolver404:
        return False
    return str(getattr(view, "__module__", "")).startswith(LOCAL_ONLY_APPS)


def _to_login(request: HttpRequest) -> HttpResponse:
    sign_in = "/login"  # a path, as OPEN_PREFIXES: this middleware runs where clinic URLs may not be routed
    where = f"{sign_in}?{urlencode({'next': request.get_full_path()})}" if request.method == "GET" else sign_in
    if request.method != "GET":
        message = "Please sign in again; what you typed is still on the page."
        response = HttpResponse(message, status=401, content_type="text/plain")
        response["HX-Redirect"] = where
        return response
    return HttpResponseRedirect(where)


def _refuse(request: HttpRequest) -> HttpResponse:
    from afterglow.web.views import _page

    return _page(403, "Not for this account", "This page belongs to a patient's own journal.", request)
