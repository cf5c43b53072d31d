"""The clinician report: what the patient chose, gathered for one template (the preview and the PDF).

Privacy lives here, not in the form: `gather` refuses any entry id that is not this patient's or that is
private, so neither a hand-made form nor the CLI can put a private entry (or someone else's) in a report.
Only what was chosen is read: no section and no entry is added that was not asked for.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from afterglow.insights import charts, curve, grid
from afterglow.insights import course as course_data
from afterglow.insights import days as checkins
from afterglow.journal.courses import current_course
from afterglow.journal.models import Entry, IntegrationAction, Session
from afterglow.lib.errors import UserError
from afterglow.measures import responses
from afterglow.measures.instruments import instruments

# (key, label) in the order they appear in the report.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("sessions", "Sessions: route, dose and intention"),
    ("side_effects", "Side effects across the course"),
    ("charts", "Mood chart and after-session curve"),
    ("measures", "Questionnaires: totals, bands, change since baseline, item 9"),
    ("actions", "Actions kept"),
    ("entries", "The entries I choose below"),
)
SECTION_KEYS = tuple(key for key, _ in SECTIONS)
MAX_IDS = 5000
LISTED_AT_MOST = 400  # entries offered on the form at once; narrower dates show the rest
DAYS_AFTER_LAST_SESSION = 7


class NotAllowed(UserError):
    """The choice names something that is not this patient's to share (another's entry, a private one)."""


@dataclass(frozen=True)
class Choice:
    start: date | None = None
    end: date | None = None
    session_ids: tuple[int, ...] = ()
    entry_ids: tuple[int, ...] = ()
    sections: tuple[str, ...] = SECTION_KEYS


def parse_ids(raw: str | Iterable[str], what: str) -> tuple[int, ...]:
    """'1,2, 3' or ['1', '2'] → (1, 2, 3); anything else is a clear UserError."""
    parts = raw.split(",") if isinstance(raw, str) else [p for r in raw for p in str(r).split(",")]
    ids: list[int] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not part.isdigit() or len(part) > 12:
            raise UserError(f"{what} are numbers separated by commas; {part[:20]!r} is not one")
        if int(part) not in ids:
            ids.append(int(part))
    if len(ids) > MAX_IDS:
        raise UserError(f"a report can hold at most {MAX_IDS} {what}")
    return tuple(ids)


def parse_sections(raw: Iterable[str]) -> tuple[str, ...]:
    chosen = [p.strip().replace("-", "_") for r in raw for p in r.split(",") if p.strip()]
    unknown = [c for c in chosen if c not in SECTION_KEYS]
    if unknown:
        raise UserError(f"no report section {unknown[0]!r}; choose from {', '.join(SECTION_KEYS)}")
    return tuple(k for k in SECTION_KEYS if k in chosen)


def parse_day(raw: str, what: str) -> date | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise UserError(f"the {what} date should look like 2026-03-14, not {raw[:20]!r}") from None
    if not checkins.plausible(day):
        raise UserError(f"the {what} date {raw!r} is outside any course")
    return day


@dataclass(frozen=True)
class SessionRow:
    session: Session
    route: str
    dose: str
    intentions: list[str]


@dataclass(frozen=True)
class MeasureRow:
    name: str
    baseline: tuple[date, int] | None
    latest: tuple[date, int] | None
    band: str
    rows: list[tuple[date, int | None, str, int | None]]  # day, total, band, crisis answer

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest[1] - self.baseline[1]


@dataclass(frozen=True)
class Flag:
    """A crisis-item answer above 0 (PHQ-9 item 9), with its date."""

    name: str
    day: date
    answer: int


@dataclass
class Report:
    choice: Choice
    start: date
    end: date
    prepared: date
    course_title: str
    sessions: list[SessionRow] = field(default_factory=list)
    grid: grid.Grid | None = None
    severe: list[tuple[str, list[tuple[int, str]]]] = field(default_factory=list)  # effect, [(session number, level)]
    mood_svg: str = ""
    curve_svg: str = ""
    curve_sentence: str = ""
    checkin_count: int = 0
    measures: list[MeasureRow] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    actions: list[IntegrationAction] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def has_sessions(self) -> bool:
        return "sessions" in self.choice.sections

    @property
    def has_charts(self) -> bool:
        return "charts" in self.choice.sections

    @property
    def has_measures(self) -> bool:
        return "measures" in self.choice.sections

    @property
    def has_actions(self) -> bool:
        return "actions" in self.choice.sections

    @property
    def has_entries(self) -> bool:
        return "entries" in self.choice.sections


def chosen_entries(owner: Any, ids: Sequence[int]) -> list[Entry]:
    """Exactly the entries asked for, oldest first; NotAllowed if any is missing, another's or private."""
    if not ids:
        return []
    found = list(Entry.objects.filter(owner=owner, pk__in=ids, private=False).select_related("session"))
    if len(found) != len(set(ids)):
        raise NotAllowed("the report can only hold your own entries that are not private; one of those chosen is not")
    return sorted(found, key=lambda e: (e.created_at, e.pk))


def listable_entries(owner: Any, start: date, end: date, limit: int = LISTED_AT_MOST) -> list[Entry]:
    """The entries the form offers to tick: within the dates, never a private one; the first `limit` + 1
    (one more than shown, so the page can say there are more and ask for narrower dates)."""
    first, last = _bounds(start, end)
    rows = Entry.objects.filter(owner=owner, private=False, created_at__gte=first, created_at__lt=last)
    return list(rows.select_related("session").order_by("created_at", "id")[: limit + 1])


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    first = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    return first, datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)


def sessions_for(owner: Any, choice: Choice) -> tuple[list[Session], date, date]:
    """The sessions and the dates the report covers: the ones chosen, else those within the dates, else the course."""
    if choice.session_ids:
        found = list(Session.objects.filter(owner=owner, pk__in=choice.session_ids).order_by("started_at", "id"))
        if len(found) != len(choice.session_ids):
            raise NotAllowed("one of the sessions chosen is not in your journal")
        start = choice.start or found[0].day
        end = choice.end or found[-1].day + timedelta(days=DAYS_AFTER_LAST_SESSION)
    else:
        course = current_course(owner)
        if choice.start or choice.end or course is None:
            today = timezone.localdate()
            start = choice.start or (today - timedelta(days=90))
            end = choice.end or today
        else:
            start, end = course_data.span(course, course_data.sessions_of(course))
        first, last = _bounds(start, end)
        rows = Session.objects.filter(owner=owner, started_at__gte=first, started_at__lt=last)
        found = list(rows.order_by("started_at", "id"))
    if end < start:
        raise UserError("the report's end date comes before its start date")
    return found, start, end


def gather(owner: Any, choice: Choice) -> Report:
    """Everything the report shows, read once for the preview and the PDF."""
    entries = chosen_entries(owner, choice.entry_ids) if "entries" in choice.sections else []
    sessions, start, end = sessions_for(owner, choice)
    course = sessions[-1].course if sessions else current_course(owner)
    report = Report(choice, start, end, timezone.localdate(), course.title if course else "", entries=entries)
    if "sessions" in choice.sections:
        report.sessions = _session_rows(sessions)
    if "side_effects" in choice.sections:
        report.grid = grid.grid(sessions)
        report.severe = _severe(report.grid)  # on page one
    days = checkins.daily(owner, start, end)
    report.checkin_count = sum(d.count for d in days)
    if "charts" in choice.sections and days:
        marks = course_data.marks(sessions)
        found = curve.curves(marks, checkins.moods(days))
        report.mood_svg = _data_uri(charts.mood_svg(days, [(m.day, m.number) for m in marks]))
        if any(c.points for c in found):
            report.curve_svg = _data_uri(charts.curve_svg(found))
        report.curve_sentence = curve.sentence(found)
    if "measures" in choice.sections:
        report.measures, report.flags = _measures(owner, start, end)  # latest against baseline and item 9 on page one
    if "actions" in choice.sections:
        first, last = _bounds(start, end)
        kept = IntegrationAction.objects.filter(owner=owner, done_at__gte=first, done_at__lt=last)
        # An action written in a private entry stays as private as the entry.
        kept = kept.filter(Q(entry__isnull=True) | Q(entry__private=False))
        report.actions = list(kept.order_by("done_at", "id"))
    return report


def _session_rows(sessions: list[Session]) -> list[SessionRow]:
    with_intentions = Session.objects.filter(pk__in=[s.pk for s in sessions]).prefetch_related("intentions")
    texts = {s.pk: [i.text for i in s.intentions.all()] for s in with_intentions}  # type: ignore[attr-defined]
    return [SessionRow(s, s.get_route_display() if s.route else "", s.dose, texts.get(s.pk, [])) for s in sessions]  # type: ignore[attr-defined]


def _severe(effects: grid.Grid) -> list[tuple[str, list[tuple[int, str]]]]:
    out = []
    for row in effects.effects:
        if row.warning:
            marked = [(s.number, c.text) for s, c in zip(effects.sessions, row.cells, strict=True) if c.level]
            if marked:
                out.append((row.label, marked))
    return out


def _measures(owner: Any, start: date, end: date) -> tuple[list[MeasureRow], list[Flag]]:
    rows: list[MeasureRow] = []
    flags: list[Flag] = []
    for instrument in instruments().values():
        points = [(timezone.localtime(p.when).date(), p) for p in responses.history(owner, instrument)]
        points = [(d, p) for d, p in points if start <= d <= end]
        if not points:
            continue
        complete = [(d, p.score.total) for d, p in points if p.score.complete and p.score.total is not None]
        baseline = complete[0] if complete else None
        latest = complete[-1] if len(complete) > 1 else None
        last_band = next((p.score.band.name for _, p in reversed(points) if p.score.band), "")
        for day, p in points:
            if p.score.crisis:
                flags.append(Flag(instrument.name, day, p.score.crisis_answer or 0))
        table = [(d, p.score.total, p.score.band.name if p.score.band else "", p.score.crisis_answer) for d, p in points]
        rows.append(MeasureRow(instrument.name, baseline, latest, last_band, table))  # type: ignore[arg-type]
    return rows, sorted(flags, key=lambda f: f.day)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
