"""Tag pages: the list with counts, and saving the tag field of an entry or a capture."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from afterglow.access import PatientRequest, owned_or_404
from afterglow.journal.models import Capture, Entry
from afterglow.journal.private import Locked
from afterglow.tags.store import TagError, counts, parse_field, set_tags

FIELD_MAX = 1000


def tag_list(request: PatientRequest) -> HttpResponse:
    return render(request, "tags/list.html", {"tags": counts(request.patient)})


def entry_tags(request: PatientRequest, entry_id: int) -> HttpResponse:
    entry = owned_or_404(Entry, request, pk=entry_id)
    return _save(request, entry, reverse("entry", args=[entry.pk]), reverse("entry_tags", args=[entry.pk]))


def capture_tags(request: PatientRequest, session_id: int) -> HttpResponse:
    capture = owned_or_404(Capture, request, session_id=session_id)
    return _save(request, capture, reverse("capture_summary", args=[session_id]), reverse("capture_tags", args=[session_id]))


def _save(request: HttpRequest, obj: Any, back: str, action: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    typed = request.POST.get("tags", "")
    try:
        if len(typed) > FIELD_MAX:
            raise TagError(f"That is {len(typed):,} characters of tags; please keep them under {FIELD_MAX}.")
        names = set_tags(obj, parse_field(typed))
    except TagError as exc:
        context = {"error": str(exc), "typed": typed[:FIELD_MAX], "action": action, "back": back}
        return render(request, "tags/edit.html", context, status=400)
    except Locked as exc:  # a clinic's private entry whose key this request does not hold
        return render(request, "error.html", {"title": "This entry is locked", "message": exc.message}, status=exc.status)
    messages.success(request, "Tags saved." if names else "Tags cleared.")
    return redirect(back)
