"""Answers for a form saved in the background (formsave.js): JSON instead of a page, and no flash message."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone


def wanted(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def saved() -> JsonResponse:
    return JsonResponse({"ok": True, "saved_label": f"Saved {timezone.localtime():%H:%M}"})


def refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "message": message}, status=status)
