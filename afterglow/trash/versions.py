"""Earlier versions of an entry: see them, and bring one back (which keeps the text it replaces)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from afterglow.access import PatientRequest, owned_or_404
from afterglow.journal.entries import save_text
from afterglow.journal.models import Entry, EntryRevision


def _own_entry(request: PatientRequest, entry_id: int) -> Entry:
    return owned_or_404(Entry, request, pk=entry_id)


def earlier_versions(entry: Entry) -> list[EntryRevision]:
    """Every kept version but the newest (which is the entry's text now), newest first."""
    return list(entry.revisions.order_by("-saved_at", "-id")[1:])


@require_GET
def versions(request: PatientRequest, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    return render(request, "trash/versions.html", {"entry": entry, "versions": earlier_versions(entry)})


@require_POST
def restore_version(request: PatientRequest, entry_id: int, version_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    version = get_object_or_404(EntryRevision, pk=version_id, entry=entry)
    # A new version, so the text it replaces stays among the earlier ones.
    if save_text(entry, version.text, allow_empty=True):
        messages.success(
            request, f"Brought back the version of {version.saved_at:%-d %B, %H:%M}. The text it replaced is kept too."
        )
    else:
        messages.info(request, "That is the entry's text already.")
    return redirect("entry", entry_id=entry.pk)
