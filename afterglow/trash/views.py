"""The Trash page, moving things into it, restoring them, and emptying it."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from afterglow.access import PatientRequest, owned, owned_or_404
from afterglow.journal.models import CheckIn
from afterglow.trash import bin
from afterglow.trash.bin import KEEP_DAYS
from afterglow.trash.models import TrashItem

# What can be deleted from a generic confirm page, by the word in its URL.
KINDS: dict[str, str] = {
    "entry": "journal.Entry",
    "checkin": "journal.CheckIn",
    "capture": "journal.Capture",
    "session": "journal.Session",
    "course": "journal.Course",
    "picture": "media.Picture",
    "voice": "media.VoiceNote",
}


def _not_here(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "trash/missing.html", {"message": message}, status=404)


@require_http_methods(["GET", "POST"])
def delete(request: PatientRequest, kind: str, pk: int) -> HttpResponse:
    owner = request.patient
    label = KINDS.get(kind)
    if label is None:
        return _not_here(request, "There is nothing of that kind to delete.")
    model: type[models.Model] = apps.get_model(label)
    found = owned(model, owner).filter(pk=pk).first()
    if found is None:
        if bin.in_trash(owner, model, pk) is not None:
            # Deleting twice (a double tap, a page from before): it is where it was sent.
            messages.info(request, "That is in the Trash already.")
            return redirect("trash")
        return _not_here(request, "There is no such thing in your journal.")
    if request.method == "GET":
        _, what = bin.label_for(found)
        return render(
            request, "trash/confirm.html", {"what": what, "kind": kind, "pk": pk, "days": KEEP_DAYS, "back": _where(found)}
        )
    item = bin.put(found)
    messages.success(request, f"Moved to the Trash: {item.label}. You can restore it there for {KEEP_DAYS} days.")
    return redirect(request.POST["next"]) if _safe_next(request) else redirect("trash")


def _safe_next(request: HttpRequest) -> bool:
    nxt = request.POST.get("next", "")
    return nxt.startswith("/") and not nxt.startswith("//")


@require_GET
def trash(request: PatientRequest) -> HttpResponse:
    owner = request.patient
    return render(request, "trash/trash.html", {"items": bin.waiting(owner), "days": KEEP_DAYS})


@require_POST
def restore(request: PatientRequest, item_id: int) -> HttpResponse:
    item = owned(TrashItem, request.patient).filter(pk=item_id).first()
    if item is None:
        return _not_here(request, "That is not in your Trash.")
    already = item.restored_at is not None
    try:
        back = bin.restore(item)
    except bin.CannotRestore as error:
        messages.error(request, str(error))
        return redirect("trash")
    messages.success(request, "That is back already." if already else f"Restored: {item.label}.")
    return redirect(_where(back))


def _where(obj: models.Model | None) -> str:
    if obj is None:
        return reverse("trash")
    name = obj._meta.label
    if name == "journal.Entry":
        return reverse("entry", args=[obj.pk])
    if name == "journal.Session":
        return reverse("session", args=[obj.pk])
    if name in ("media.Picture", "media.VoiceNote", "journal.Capture") and getattr(obj, "entry_id", None):
        return reverse("entry", args=[obj.entry_id])  # type: ignore[attr-defined]
    if name == "journal.Capture":
        return reverse("session", args=[obj.session_id])  # type: ignore[attr-defined]
    if name == "journal.CheckIn":
        return reverse("checkin_edit", args=[obj.pk])
    if name == "journal.Course":
        return reverse("course")
    return reverse("trash")


@require_POST
def empty(request: PatientRequest) -> HttpResponse:
    done = bin.purge(owner=request.patient, everything=True)
    if done.items:
        messages.success(request, "The Trash is empty. What was in it is erased from this computer's journal.")
    else:
        messages.info(request, "The Trash was empty already.")
    return redirect("trash")


def checkin_delete(request: PatientRequest, pk: int) -> HttpResponse:
    """With several a day, a check-in made by mistake can go; the page asks first."""
    existing = owned_or_404(CheckIn, request, pk=pk)
    if request.method != "POST":
        return render(request, "journal/checkin/delete.html", {"checkin": existing})
    when = timezone.localtime(existing.at)
    bin.put(existing)
    messages.success(request, f"The check-in of {when:%A %-d %B, %H:%M} is in the Trash; you can restore it there for 30 days.")
    return redirect("checkin")
