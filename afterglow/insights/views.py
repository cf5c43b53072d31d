"""The course review (intentions, mood, the after-session curve, side effects, measures, themes, actions) and compare."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from afterglow.access import PatientRequest, owned_or_404
from afterglow.insights import charts, compare, grid, themes
from afterglow.insights import course as course_data
from afterglow.insights.days import MEASURES, optional_measures
from afterglow.journal import actions as rules
from afterglow.journal.answers import save_evolution
from afterglow.journal.courses import current_course
from afterglow.journal.models import Course, IntegrationAction, Intention, Session
from afterglow.lib import chart_theme
from afterglow.measures import responses
from afterglow.measures.instruments import instruments
from afterglow.preferences.store import for_request
from afterglow.web import background, display, unchanged

ACTIONS_LISTED = 5


@dataclass
class Thread:
    """One intention prompt followed across the sessions of a course."""

    prompt_text: str
    items: list[tuple[Session, Intention]] = field(default_factory=list)


def intention_threads(sessions: list[Session]) -> list[Thread]:
    """Intentions grouped by the prompt they answer, in the order prompts first appear."""
    threads: dict[str, Thread] = {}
    for session in sessions:
        for intention in session.intentions.all():
            # Intentions without a prompt (typed on the CLI) each stand on their own.
            key = intention.prompt_id or f"free-{intention.pk}"
            thread = threads.setdefault(key, Thread(intention.prompt_text or "In your own words"))
            thread.items.append((session, intention))
    return list(threads.values())


def _course(request: PatientRequest) -> Course | None:
    course_id = request.GET.get("course", "")
    if course_id.isdigit() and len(course_id) < 12:
        return owned_or_404(Course, request, pk=int(course_id))
    if course_id:
        raise Http404("No such course")
    return current_course(request.patient)


def _sessions(course: Course) -> list[Session]:
    return list(course.sessions.order_by("number").prefetch_related("intentions"))  # type: ignore[attr-defined]


def _tallies(sessions: list[Session]) -> list[tuple[Session, rules.Tally, list[IntegrationAction]]]:
    """Kept and open actions per session, counted in the database, with the first few of each to list.

    Two years of sessions can hold thousands of actions: the counts cover them all, the table lists a few
    (open ones first, as on the actions page) and links to the rest.
    """
    ids = [s.pk for s in sessions]
    counts = {
        row["session_id"]: rules.Tally(row["kept"], row["open"])
        for row in IntegrationAction.objects.filter(session_id__in=ids)
        .values("session_id")
        .annotate(kept=Count("id", filter=Q(done_at__isnull=False)), open=Count("id", filter=Q(done_at__isnull=True)))
    }
    order = [F("done_at").asc(nulls_first=True), F("due").asc(nulls_first=True), F("created_at").asc()]
    listed: dict[int, list[IntegrationAction]] = {}
    rows = IntegrationAction.objects.filter(session_id__in=ids).annotate(
        place=Window(RowNumber(), partition_by=F("session_id"), order_by=order)
    )
    for action in rows.filter(place__lte=ACTIONS_LISTED).order_by("session_id", "place"):
        listed.setdefault(action.session_id, []).append(action)  # type: ignore[arg-type]
    return [(s, counts.get(s.pk, rules.Tally(0, 0)), listed.get(s.pk, [])) for s in sessions]


def course_review(request: PatientRequest) -> HttpResponse:
    course = _course(request)
    if course is None:
        return render(request, "insights/review.html", {"course": None})
    if request.method != "POST":
        return _render(request, course)
    sessions = _sessions(course)
    threads = intention_threads(sessions)
    intentions = [i for t in threads for _, i in t.items]
    notes = {i.pk: request.POST[f"evolution-{i.pk}"] for i in intentions if f"evolution-{i.pk}" in request.POST}
    try:
        save_evolution(intentions, notes)
    except ValidationError as exc:
        if background.wanted(request):
            return background.refused(exc.messages[0])
        return _render(request, course, (sessions, notes), error=exc.messages[0])
    if background.wanted(request):
        return background.saved()
    messages.success(request, "Your notes on how your intentions evolved are saved.")
    return redirect(f"{request.path}?course={course.pk}")


@dataclass(frozen=True)
class MeasureCourse:
    """One questionnaire's results within the course's span, for the review's measures section."""

    name: str
    instrument_id: str
    rows: list[tuple[date, int | None, str, int]]  # day, total, band, response id


def _measures(owner: Any, start: date, end: date) -> list[MeasureCourse]:
    out = []
    for instrument in instruments().values():
        rows = []
        for p in responses.history(owner, instrument):
            day = timezone.localtime(p.when).date()
            if start <= day <= end:
                rows.append((day, p.score.total, p.score.band.name if p.score.band else "", p.response.pk))
        if rows:
            out.append(MeasureCourse(instrument.name, instrument.id, list(reversed(rows))))
    return out


@dataclass(frozen=True)
class ReviewBody:
    """The parts of the course review that hold nothing of the request (no token, no typed text)."""

    session_count: int
    threads: SafeString  # the intention cards with their text areas, inside the page's own form
    rest: SafeString  # mood, curve, side effects, measures, themes, actions kept, the compare picker


def _render(
    request: HttpRequest, course: Course, refused: tuple[list[Session], dict[int, str]] | None = None, error: str = ""
) -> HttpResponse:
    """The review page; `refused` is what was just posted and not saved, shown again as typed.

    A plain view is kept whole until the journal changes: at two years and 53 sessions, drawing the
    intention cards (two thirds of the page) and the actions table was most of a warm view's time.
    """
    if refused is None:
        key = ("insights.review", course.pk, timezone.get_current_timezone_name(), timezone.localdate())
        body = unchanged.kept(key, lambda: _body(course, _sessions(course), {}))
    else:
        body = _body(course, *refused)
    context = {"course": course, "body": body, "error": error}
    return render(request, "insights/review.html", context, status=422 if error else 200)


def _body(course: Course, sessions: list[Session], typed: dict[int, str]) -> ReviewBody:
    threads = intention_threads(sessions)
    for thread in threads:
        for _, intention in thread.items:
            intention.typed_evolution = typed.get(intention.pk, intention.evolution_note)  # type: ignore[attr-defined]
    tallies = _tallies(sessions)
    rest = {
        "course": course,
        "sessions": sessions,
        "tallies": tallies,
        "kept": sum(t.kept for _, t, _ in tallies),
        "total": sum(t.total for _, t, _ in tallies),
        "looking_back": _looking_back(course, sessions),
    }
    return ReviewBody(
        session_count=len(sessions),
        threads=mark_safe(render_to_string("insights/_intentions.html", {"threads": threads})) if threads else mark_safe(""),
        rest=mark_safe(render_to_string("insights/_review_rest.html", rest)),
    )


def _looking_back(course: Course, sessions: list[Session]) -> SafeString:
    """Mood, the after-session curve, side effects, measures and themes, rendered once per journal change.

    They hold no form and nothing of the request, and at two years of check-ins and 20,000 entries
    rendering them is most of the page's time; the intentions form and the actions stay live.
    """
    key = ("insights.looking_back", course.pk, timezone.get_current_timezone_name(), timezone.localdate())
    return unchanged.kept(key, lambda: mark_safe(render_to_string("insights/_looking_back.html", _sections(course, sessions))))


def _sections(course: Course, sessions: list[Session]) -> dict[str, Any]:
    mood = course_data.mood(course)
    start, end = course_data.span(course, sessions)
    extra = optional_measures()
    names = [name for name, _ in (*MEASURES, *extra)]
    found = themes.course_themes(course)
    return {
        "course": course,
        "sessions": sessions,
        "mood": mood,
        "day_columns": [label for _, label in (*MEASURES, *extra)],
        "day_rows": _format_day_rows(mood, names),
        "offsets": list(range(-1, 8)),
        "grid": grid.grid(sessions),
        "measures": _measures(course.owner, start, end),
        "themes": found,
        "session_themes": [(s, found.by_session.get(s.pk, ())) for s in sessions],
    }


def _format_day_rows(mood: course_data.Mood, names: list[str]) -> SafeString:
    rows = [
        (date_format(d.day, "D j M Y"), format_html_join("", "<td>{}</td>", ((_number(v),) for v in d.cells(names))), d.count)
        for d in reversed(mood.days)
    ]
    return format_html_join("\n", '<tr><th scope="row">{}</th>{}<td>{}</td></tr>', rows)


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".removesuffix(".0")


@require_GET
def mood_chart(request: PatientRequest) -> HttpResponse:
    course = _course(request)
    if course is None:
        raise Http404("No course yet")
    shape = request.GET.get("size", "wide")
    key = ("insights.mood_svg", course.pk, shape, timezone.get_current_timezone_name(), timezone.localdate())
    svg = unchanged.kept(key, lambda: _mood_svg(course, shape))
    return HttpResponse(chart_theme.themed(svg, display.load(for_request(request)).theme), content_type="image/svg+xml")


def _mood_svg(course: Course, shape: str) -> str:
    sessions = course_data.sessions_of(course)
    marks = [(m.day, m.number) for m in course_data.marks(sessions)]
    return charts.mood_svg(course_data.mood(course).days, marks, shape)


@require_GET
def curve_chart(request: PatientRequest) -> HttpResponse:
    course = _course(request)
    if course is None:
        raise Http404("No course yet")
    shape = request.GET.get("size", "wide")
    key = ("insights.curve_svg", course.pk, shape, timezone.get_current_timezone_name(), timezone.localdate())
    svg = unchanged.kept(key, lambda: charts.curve_svg(course_data.mood(course).curves, shape))
    return HttpResponse(chart_theme.themed(svg, display.load(for_request(request)).theme), content_type="image/svg+xml")


@require_GET
def compare_sessions(request: PatientRequest) -> HttpResponse:
    owner = request.patient
    raw = request.GET.getlist("s")
    course = current_course(owner)
    if not raw:
        return render(request, "insights/compare.html", {"picker": _picker(course), "columns": [], "chosen": []})
    try:
        ids = compare.chosen_ids(raw)
    except compare.ChoiceError as exc:
        context = {"picker": _picker(course), "columns": [], "chosen": [], "error": str(exc)}
        return render(request, "insights/compare.html", context, status=400)
    picker_of = course.pk if course else None
    key = ("insights.compare", owner.pk, picker_of, tuple(ids), timezone.get_current_timezone_name(), timezone.localdate())
    try:
        body = unchanged.kept(key, lambda: _compare_body(owner, ids, _picker(course)))
    except LookupError:
        raise Http404("No such session") from None
    return render(request, "insights/compare.html", {"body": body})


def _picker(course: Course | None) -> list[Session]:
    return course_data.sessions_of(course) if course else []


def _compare_body(owner: Any, ids: list[int], picker: list[Session]) -> SafeString:
    """The columns and the picker, kept until the journal changes (a missing or someone else's session: LookupError)."""
    sessions = compare.sessions_for(owner, ids)
    courses = {s.course_id: s.course for s in sessions}
    mood = {pk: course_data.mood(c) for pk, c in courses.items()}
    found = {pk: themes.course_themes(c) for pk, c in courses.items()}
    context = {"picker": picker, "columns": compare.columns(sessions, mood, found), "chosen": ids, "offsets": list(range(-1, 8))}
    return mark_safe(render_to_string("insights/_compare_body.html", context))
