"""The search page (`/search`) and the results shown as you type in the header's search box.

Without JavaScript it is a plain GET form; with htmx, the same URL answers with only the results
(the `HX-Request` header), so typing shows them as you go.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from afterglow.access import PatientRequest
from afterglow.journal.search import SearchUnavailable
from afterglow.journal.timeline import Sessions
from afterglow.lib import dates
from afterglow.pages.everywhere import KINDS, BadQuery, Filters, find, session_filter
from afterglow.tags.store import TagError, clean_name

PAGE_LIMIT = 50
HEADER_LIMIT = 8


def search_page(request: PatientRequest) -> HttpResponse:
    owner = request.patient
    sessions = Sessions.of(owner)
    query = request.GET.get("q", "")
    partial = request.headers.get("HX-Request") == "true"
    compact = request.GET.get("in") == "header"
    context: dict[str, Any] = {
        "query": query,
        "kinds": KINDS,
        "sessions": sessions.all,
        "several_courses": len({m.course_id for m in sessions.all}) > 1,
        "chosen": {key: request.GET.get(key, "") for key in ("kind", "session", "since", "until", "tag")},
        "compact": compact,
        "results": None,
        "error": "",
    }
    status = 200
    try:
        filters = _filters(request, owner, sessions)
        if query.strip() or filters.any:
            typed = as_you_type(query) if partial else query
            context["results"] = find(owner, typed, filters, limit=HEADER_LIMIT if compact else PAGE_LIMIT)
    except BadQuery as exc:
        context["error"] = str(exc)
        # An empty box is not a mistake; anything else the page cannot search is a 400.
        status = 200 if not query.strip() and not filters_given(request) else 400
    except SearchUnavailable as exc:
        context["error"] = str(exc)
        status = 503
    if partial:
        # htmx swaps only 2xx answers: the kind message must still show under the box.
        if compact and not query.strip():
            return HttpResponse("")
        return render(request, "search/_results.html", context)
    return render(request, "search/page.html", context, status=status)


def as_you_type(query: str) -> str:
    """While typing, the last word may be half written: look for words that begin with it."""
    words = query.split()
    if not words or query[-1].isspace() or query.count('"') % 2 or words[-1].endswith(("*", '"')) or len(words[-1]) < 2:
        return query
    return query + "*"


def filters_given(request: HttpRequest) -> bool:
    return any(request.GET.get(key) for key in ("kind", "session", "since", "until", "tag"))


def _filters(request: HttpRequest, owner: Any, sessions: Sessions) -> Filters:
    kind = request.GET.get("kind", "")
    if kind and kind not in KINDS:
        raise BadQuery("That is not a kind of writing search knows; choose one from the list.")
    raw_session = request.GET.get("session", "")
    mark, end = None, None
    if raw_session:
        pk = int(raw_session) if raw_session.isdigit() and len(raw_session) < 12 else 0
        try:
            mark, end = session_filter(owner, pk, sessions)
        except BadQuery:
            raise Http404("That session is not in this journal.") from None
    since, until = _day(request, "since", "From"), _day(request, "until", "To")
    if since and until and since > until:
        raise BadQuery("The “from” day is after the “to” day, so nothing can be between them.")
    tag = ""
    if request.GET.get("tag"):
        try:
            tag = clean_name(request.GET["tag"])
        except TagError as exc:
            raise BadQuery(str(exc)) from None
    return Filters(
        kinds=frozenset({kind}) if kind else frozenset(), session=mark, session_end=end, since=since, until=until, tag=tag
    )


def _day(request: HttpRequest, key: str, label: str) -> date | None:
    raw = request.GET.get(key, "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise BadQuery(f"“{label}” should be a day on the calendar, like 2026-03-14.")
    # A far year is a slip of the keyboard; as a search bound it means "from the start" or "until now".
    return min(max(day, dates.EARLIEST), dates.latest_planned(timezone.localdate()))
