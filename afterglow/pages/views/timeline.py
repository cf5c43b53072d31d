"""The timeline: every session with the days, check-ins and entries after it, newest first."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from afterglow.access import PatientRequest, owned_or_404
from afterglow.journal import timeline as stream
from afterglow.journal.models import Session
from afterglow.tags.store import TagError, clean_name, tagged_entries
from afterglow.web import unchanged


def timeline(request: PatientRequest) -> HttpResponse:
    owner = request.patient
    only = _session_filter(request)
    try:
        tag = _tag_filter(request)
    except TagError as exc:
        return render(request, "error.html", {"title": "Not a tag", "message": str(exc)}, status=400)
    before, after = request.GET.get("before"), request.GET.get("after")
    marks = stream.Sessions.of(owner)  # one read of the sessions for the page and the key

    def body() -> str:
        page = stream.page(
            owner,
            sessions=marks,
            session=only,
            before=stream.Cursor.decode(before),
            after=stream.Cursor.decode(after),
            only_entries=tagged_entries(owner, tag) if tag else None,
        )
        # The filters a pager link keeps, ready to go before `before=`/`after=`.
        keep = urlencode({k: v for k, v in (("session", only.pk if only else ""), ("tag", tag)) if v})
        context = {"page": page, "tag": tag, "keep": keep + "&" if keep else ""}
        return render_to_string("journal/timeline/_page.html", context)

    # The newest page (of each filter) is drawn again only when the journal changes or a session
    # begins ("Coming up."); pages further back are drawn each time, so paging through years keeps nothing.
    if before or after:
        html = body()
    else:
        begins = marks.first_start_after(timezone.now())
        key = ("pages.timeline", owner.pk, only.pk if only else None, tag, timezone.get_current_timezone_name(), begins)
        html = unchanged.kept(key, body)
    return render(request, "journal/timeline/timeline.html", {"body": html})


def _tag_filter(request: HttpRequest) -> str:
    raw = request.GET.get("tag", "")
    if not raw:
        return ""
    return clean_name(raw)


def _session_filter(request: PatientRequest) -> Session | None:
    raw = request.GET.get("session", "")
    if not raw:
        return None
    # Not a number, or not this patient's session: the same kind 404 either way.
    pk = int(raw) if raw.isdigit() and len(raw) < 12 else 0
    return owned_or_404(Session.objects.select_related("course"), request, pk=pk)
