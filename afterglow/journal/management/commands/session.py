"""`afterglow session add|list`: the sessions of the current course."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.management.base import CommandParser
from django.db import models, transaction
from django.utils import timezone

from afterglow.journal import cli_format as fmt
from afterglow.journal.access import local_patient
from afterglow.journal.courses import current_course
from afterglow.journal.models import Course, Intention, Route, Session
from afterglow.lib.cli import Command as BaseCommand
from afterglow.lib.cli import OneLineParser, UserError

# A session given without a time is placed in the morning, when most clinics run them;
# only its day matters to the day-N rules.
DEFAULT_TIME = time(9, 0)


class Command(BaseCommand):
    help = "Add a session to your course, or list the sessions you have."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="add|list", parser_class=OneLineParser)
        add = actions.add_parser("add", help="add a session (starts a course on that day if you have none)")
        add.add_argument("--date", required=True, help="the day of the session, YYYY-MM-DD")
        add.add_argument("--time", help="when it starts, HH:MM (24-hour)")
        add.add_argument("--route", type=str.lower, choices=Route.values, help="iv, im, nasal or oral")
        add.add_argument("--dose", default="", help="the dose as your clinic wrote it, e.g. '0.5 mg/kg'")
        add.add_argument(
            "--intention", default="", help=f"what you hope to gain or explore; '-' reads it from stdin ({fmt.ARGV_IS_VISIBLE})"
        )
        listing = actions.add_parser("list", help="the sessions of your current course")
        listing.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            self.add(options)
        else:
            self.list(options)

    def add(self, options: dict[str, Any]) -> None:
        day = fmt.parse_day(options["date"])
        clock = fmt.parse_clock(options["time"]) if options["time"] else DEFAULT_TIME
        dose = _limited(fmt.utf8_argument(options["dose"], "--dose").strip(), Session, "dose", "--dose")
        intention = fmt.text_option(options["intention"], "--intention").strip()
        session = add_session(local_patient(), day, clock, route=options["route"] or "", dose=dose, intention=intention)
        self.stdout.write(f"Added session {session.number} on {fmt.local_stamp(session.started_at)}{_details(session)}.")

    def list(self, options: dict[str, Any]) -> None:
        course = current_course(local_patient())
        sessions = list(course.sessions.order_by("number").prefetch_related("intentions")) if course else []
        if options["json"]:
            self.stdout.write(fmt.dump_json([_as_json(s) for s in sessions]))
            return
        if not sessions:
            self.stderr.write("No sessions yet. Add one with: afterglow session add --date YYYY-MM-DD")
            return
        rows = [[str(s.number), fmt.local_stamp(s.started_at), s.get_route_display() or "-", s.dose or "-"] for s in sessions]
        fmt.write_lines(self.stdout, fmt.aligned(rows))


@transaction.atomic
def add_session(owner: Any, day: date, clock: time, *, route: str = "", dose: str = "", intention: str = "") -> Session:
    """Session on `day` in the current course; the first session ever starts a course that day."""
    course = current_course(owner) or Course.objects.create(owner=owner, start_date=day)
    started_at = timezone.make_aware(datetime.combine(day, clock))
    session = Session.objects.create(owner=owner, course=course, started_at=started_at, route=route, dose=dose)
    if intention:
        Intention.objects.create(owner=owner, session=session, text=intention)
    return session


def _limited(text: str, model: type[models.Model], field: str, what: str) -> str:
    limit = getattr(model._meta.get_field(field), "max_length", None)
    if limit and len(text) > limit:
        raise UserError(f"{what} is too long ({len(text)} characters; at most {limit})")
    return text


def _details(session: Session) -> str:
    parts = [p for p in (session.get_route_display(), session.dose) if p]
    return f" ({', '.join(parts)})" if parts else ""


def _as_json(session: Session) -> dict[str, Any]:
    return {
        "number": session.number,
        "started_at": fmt.iso(session.started_at),
        "route": session.route or None,
        "dose": session.dose,
        "intentions": [i.text for i in session.intentions.all()],
    }
