"""Small cross-cutting middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.http import HttpRequest, HttpResponse

from afterglow import modes
from afterglow.lib.net import LAN_ENVIRON_KEY, is_loopback_address

Handler = Callable[[HttpRequest], HttpResponse]

# Paths, literal because middleware runs before URLs are resolved (and assets are a family of
# addresses with no URL name), as the vault middleware's are; a test keeps them in step with
# STATIC_URL and the URL names (tests/web/test_middleware_paths.py).
# Assets may be cached by the browser: they hold no journal text.
CACHEABLE_PREFIXES = ("/static/",)
# Answered to any peer in local mode, not only this computer: they hold nothing.
OPEN_TO_ANY_PEER = ("/healthz",)


def no_store_middleware(get_response: Handler) -> Handler:
    """Journal pages must not linger in the browser's disk cache."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not request.path.startswith(CACHEABLE_PREFIXES):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return middleware


def same_origin_form_middleware(get_response: Handler) -> Handler:
    """Let Django's CSRF check see the real origin of our own form posts.

    With `Referrer-Policy: no-referrer` (a contract), browsers send `Origin: null`
    on same-origin form submissions, and Django's CSRF origin check refuses
    them. `Sec-Fetch-Site` cannot be set by page script, so when the browser
    itself says the request comes from this site, the origin is this site. The
    CSRF token is still checked as always.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.META.get("HTTP_ORIGIN") == "null" and request.headers.get("Sec-Fetch-Site") == "same-origin":
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return get_response(request)

    return middleware


REFUSED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Only on this computer · Afterglow</title></head>
<body><h1>This journal only opens on this computer</h1>
<p>Afterglow answers other devices only once they are paired over an encrypted connection, and
that is not set up here. Open Afterglow on the computer that runs it.</p></body></html>
"""


def loopback_only_middleware(get_response: Handler) -> Handler:
    """Local mode serves the journal to this computer only, whatever the Host header says.

    The peer is the socket's (waitress sets REMOTE_ADDR from it; no proxy is trusted), so a
    client on the network cannot claim to be local. `/healthz` stays open: it holds nothing.
    Requests from the `serve --lan` HTTPS listener go on to the paired-phone gate, the next
    middleware (afterglow.phones.middleware), which lets in paired phones only.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        peer = request.META.get("REMOTE_ADDR")
        if request.META.get(LAN_ENVIRON_KEY):
            if request.is_secure() and apps.is_installed("afterglow.phones"):
                return get_response(request)
        elif not modes.current().serves_this_computer_only or request.path in OPEN_TO_ANY_PEER or is_loopback_address(peer):
            return get_response(request)
        response = HttpResponse(REFUSED_PAGE, status=403, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        response["Cache-Control"] = "no-store"
        return response

    return middleware
