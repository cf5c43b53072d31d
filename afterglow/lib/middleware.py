"""Small cross-cutting middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]


def no_store_middleware(get_response: Handler) -> Handler:
    """Journal pages must not linger in the browser's disk cache."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not request.path.startswith("/static/"):
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
