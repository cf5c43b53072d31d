"""Answers for a form saved in the background (formsave.js): JSON instead of a page, and no flash message."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from afterglow.lib.errors import UserError


def wanted(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def saved() -> JsonResponse:
    return JsonResponse({"ok": True, "saved_label": f"Saved {timezone.localtime():%H:%M}"})


def refused(reason: str | UserError, status: int | None = None) -> JsonResponse:
    """The one JSON refusal, `{"ok": false, "message": …}`: a UserError's own status, else `status` or 400."""
    default = reason.status if isinstance(reason, UserError) else 400
    return JsonResponse({"ok": False, "message": str(reason)}, status=status or default)
