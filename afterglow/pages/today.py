"""What the home page knows: where the patient is in their course and what would help now.

The judgement lives in `rules.py`; this module only gathers the facts it needs,
in a handful of queries, and turns each suggestion into a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from afterglow.journal import capture as capture_rules
from afterglow.journal import rules, timeline
from afterglow.journal.courses import current_course
from afterglow.journal.models import Capture, CheckIn, Course, Entry, IntegrationAction, Intention, Session
from afterglow.measures.course import due as measure_due
from afterglow.web import unchanged

RECENT_ITEMS = 6


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    href: str


@dataclass
class Today:
    course: Course | None
    position: rules.Position
    session: timeline.Mark | None = None
    next_session: timeline.Mark | None = None
    links: list[Link] = field(default_factory=list)
    recent: list[timeline.Item] = field(default_factory=list)
    # The PHQ-9 and GAD-7 are due (before a session, or two weeks on): a quiet offer, not a to-do.
    measures_due: bool = False
    # After a right-now capture: the fuller steps, offered quietly (not a to-do).
    say_more: Link | None = None

    @property
    def headline(self) -> str:
        return self.position.headline()


@dataclass(frozen=True)
class Facts:
    """What has been done around one session."""

    has_capture: bool = False
    has_intention: bool = False
    reflections: int = 0


def today(owner: Any, on: date | None = None, marks: timeline.Sessions | None = None) -> Today:
    """What the home page shows, read again only when the journal changes, the day turns or a session begins.

    Everything here depends on the clock only through the day and which sessions have begun, so
    those are in the key; the rest is the journal, which `unchanged.kept` watches.
    """
    on = on or timezone.localdate()
    marks = timeline.Sessions.of(owner) if marks is None else marks
    return unchanged.kept(("pages.today", *same_until(owner, on, marks)), lambda: _today(owner, on, marks))


def same_until(owner: Any, on: date, marks: timeline.Sessions) -> tuple[Any, ...]:
    """What, besides the journal, the home page's facts depend on: the person, the day, the time zone,
    and the next session to begin (its start turns "coming up" into "today")."""
    return (owner.pk, on, timezone.get_current_timezone_name(), marks.first_start_after(timezone.now()))


def _today(owner: Any, on: date, marks: timeline.Sessions) -> Today:
    course = current_course(owner)
    if course is None:
        return Today(course=None, position=rules.position([], on))
    # One read of every session serves both the course position and the recent items below.
    in_course = marks.of_course(course.pk)
    pos = rules.position([(m.number, m.day) for m in in_course], on)
    now = timezone.now()
    current = next((m for m in in_course if m.number == pos.session_number), None)
    upcoming = next((m for m in in_course if m.started_at > now), None)
    facts = _facts([m.pk for m in (current, upcoming) if m])
    done = facts.get(current.pk, Facts()) if current else Facts()
    # Later today, a session has nothing to capture or reflect on yet: only its intention is due.
    not_yet = current is not None and current.started_at > now
    # On the session day, a check-in from before the session does not tell how the hours after it go.
    after_session = current is not None and pos.day == 0 and not not_yet
    since = current.started_at if after_session and current else timezone.make_aware(datetime.combine(on, time.min))
    nudges = rules.what_helps_now(
        pos,
        has_capture=not_yet or done.has_capture,
        reflections=1 if not_yet else done.reflections,
        checked_in_today=CheckIn.objects.filter(owner=owner, day=on, at__gte=since).exists(),
        open_actions=IntegrationAction.objects.filter(owner=owner, done_at__isnull=True).count(),
        upcoming_without_intention=bool(upcoming and not facts.get(upcoming.pk, Facts()).has_intention),
        after_session=after_session,
    )
    links = [_link(n, current, upcoming) for n in nudges]
    if not in_course:
        links.insert(0, Link("session", "Add your first session", reverse("session_new")))
    recent = timeline.page(owner, size=RECENT_ITEMS, sessions=marks).items
    due = measure_due(owner, upcoming.day if upcoming else None, on)
    more = _say_more(current) if current is not None and pos.in_window and done.has_capture else None
    return Today(course, pos, current, upcoming, links, recent, measures_due=due, say_more=more)


def _facts(pks: list[int]) -> dict[int, Facts]:
    """For the session today is about and the next one: capture, intention, entries — in one query."""
    if not pks:
        return {}
    entries = Entry.objects.filter(session=OuterRef("pk")).order_by().values("session").annotate(n=Count("pk")).values("n")
    rows = Session.objects.filter(pk__in=pks).annotate(
        has_capture=Exists(Capture.objects.filter(session=OuterRef("pk"))),
        has_intention=Exists(Intention.objects.filter(session=OuterRef("pk"))),
        reflections=Coalesce(Subquery(entries, output_field=IntegerField()), 0),
    )
    values = rows.values_list("pk", "has_capture", "has_intention", "reflections")
    return {pk: Facts(bool(capture), bool(intention), int(n)) for pk, capture, intention, n in values}


def _say_more(current: timeline.Mark) -> Link | None:
    """After the right-now capture, the fuller steps stay on offer (quietly) through the integration window."""
    if capture_rules.said_more(Capture.objects.filter(session_id=current.pk).first()):
        return None
    return Link("more", f"Say more about session {current.number}", reverse("capture_more", args=[current.pk]))


def _link(nudge: rules.Nudge, current: timeline.Mark | None, upcoming: timeline.Mark | None) -> Link:
    hrefs = {
        "capture": reverse("capture", args=[current.pk]) if current else reverse("timeline"),
        "reflect": reverse("reflect", args=[current.pk]) if current else reverse("write"),
        "intention": reverse("intention", args=[upcoming.pk]) if upcoming else reverse("course"),
        "checkin": reverse("checkin"),
        "actions": reverse("actions"),
    }
    return Link(nudge.key, nudge.label, hrefs.get(nudge.key) or reverse("home"))
