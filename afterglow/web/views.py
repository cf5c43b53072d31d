"""Kind error pages: never a stack trace, always a way back and a way to help."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader


def _page(status: int, title: str, message: str, request: HttpRequest | None = None) -> HttpResponse:
    body: str
    try:
        body = loader.render_to_string("error.html", {"title": title, "message": message}, request)
    except Exception:  # the error page itself must never fail
        # Literal, not reverse(): this page must render even when the URLconf is what broke.
        body = f"<!doctype html><title>{title}</title><p>{message}</p><p><a href='/help'>Get help now</a></p>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(400, "That did not work", "Something in the request was not quite right. Please go back and try again.", request)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        403,
        "Please try again",
        "This form had expired. Go back, reload the page, and send it again — what you typed is still there.",
        request,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(404, "Not here", "There is nothing at this address. It may have moved, or the link was mistyped.", request)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(500, "Something went wrong", "Afterglow hit a problem. Nothing you had saved is lost; please try again.", None)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return forbidden(request)
