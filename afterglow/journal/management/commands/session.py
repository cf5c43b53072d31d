"""`afterglow session add|list|readings`: the sessions of the current course."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.db import models, transaction
from django.utils import timezone

from afterglow.access import local_patient
from afterglow.journal import cli_format as fmt
from afterglow.journal.courses import current_course
from afterglow.journal.models import Course, Intention, Route, Session
from afterglow.journal.readings import FIELDS, MOMENTS, check_value, parse_pressure
from afterglow.lib.errors import UserError
from afterglow.vault.verbs import Command as BaseCommand
from afterglow.web.cli import OneLineParser

# A session given without a time is placed in the morning, when most clinics run them;
# only its day matters to the day-N rules.
DEFAULT_TIME = time(9, 0)


class Command(BaseCommand):
    help = "Add a session to your course, or list the sessions you have."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="add|list|readings", parser_class=OneLineParser)
        add = actions.add_parser("add", help="add a session (starts a course on that day if you have none)")
        add.add_argument("--date", required=True, help="the day of the session, YYYY-MM-DD")
        add.add_argument("--time", help="when it starts, HH:MM (24-hour)")
        add.add_argument("--route", type=str.lower, choices=Route.values, help="iv, im, nasal or oral")
        add.add_argument("--dose", default="", help="the dose as your clinic wrote it, e.g. '0.5 mg/kg'")
        add.add_argument(
            "--intention", default="", help=f"what you hope to gain or explore; '-' reads it from stdin ({fmt.ARGV_IS_VISIBLE})"
        )
        _reading_options(add)
        noted = actions.add_parser("readings", help="note blood pressure and heart rate for session N of your course")
        noted.add_argument("number", help="the session's number, as in `session list`")
        _reading_options(noted)
        listing = actions.add_parser("list", help="the sessions of your current course")
        listing.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            self.add(options)
        elif options["action"] == "readings":
            self.readings(options)
        else:
            self.list(options)

    def add(self, options: dict[str, Any]) -> None:
        day = fmt.parse_day(options["date"])
        clock = fmt.parse_clock(options["time"]) if options["time"] else DEFAULT_TIME
        dose = _limited(fmt.utf8_argument(options["dose"], "--dose").strip(), Session, "dose", "--dose")
        intention = fmt.text_option(options["intention"], "--intention").strip()
        values = _readings(options)
        session = add_session(
            local_patient(), day, clock, route=options["route"] or "", dose=dose, intention=intention, readings=values
        )
        self.stdout.write(f"Added session {session.number} on {fmt.local_stamp(session.started_at)}{_details(session)}.")

    def readings(self, options: dict[str, Any]) -> None:
        number = fmt.parse_whole(options["number"], 1, 10_000, "the session number") or 0
        values = _readings(options)
        if not values:
            raise UserError("Nothing to note: give --bp-before, --hr-before, --bp-leaving or --hr-leaving")
        course = current_course(local_patient())
        session = course.sessions.filter(number=number).first() if course else None
        if session is None:
            raise UserError(f"There is no session {number} in your current course (see: afterglow session list)")
        for name, value in values.items():
            setattr(session, name, value)
        session.save(update_fields=list(values))
        self.stdout.write(f"Noted for session {session.number}: {_readings_text(session)}.")

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
def add_session(
    owner: Any,
    day: date,
    clock: time,
    *,
    route: str = "",
    dose: str = "",
    intention: str = "",
    readings: dict[str, int] | None = None,
) -> Session:
    """Session on `day` in the current course; the first session ever starts a course that day."""
    course = current_course(owner) or Course.objects.create(owner=owner, start_date=day)
    started_at = timezone.make_aware(datetime.combine(day, clock))
    session = Session.objects.create(
        owner=owner, course=course, started_at=started_at, route=route, dose=dose, **(readings or {})
    )
    if intention:
        Intention.objects.create(owner=owner, session=session, text=intention)
    return session


def _reading_options(parser: CommandParser) -> None:
    for _, label, stem in MOMENTS:
        when = label.lower()
        parser.add_argument(f"--bp-{stem}", metavar="SYS/DIA", help=f"blood pressure {when}, e.g. 120/80 (mmHg)")
        parser.add_argument(f"--hr-{stem}", metavar="BPM", help=f"heart rate {when}, beats a minute")


def _readings(options: dict[str, Any]) -> dict[str, int]:
    """The readings given as options, checked, as Session field values."""
    values: dict[str, int] = {}
    try:
        for moment, _, stem in MOMENTS:
            if options[f"bp_{stem}"] is not None:
                values[f"systolic_{moment}"], values[f"diastolic_{moment}"] = parse_pressure(options[f"bp_{stem}"])
            if options[f"hr_{stem}"] is not None:
                rate = fmt.parse_whole(options[f"hr_{stem}"], 0, 10_000, f"--hr-{stem}")
                values[f"heart_rate_{moment}"] = int(check_value("heart_rate", rate) or 0)
    except ValidationError as exc:
        raise UserError(" ".join(exc.messages)) from None
    return values


def _readings_text(session: Session) -> str:
    """'before the dose 120/80 mmHg, heart rate 72; before leaving not noted'."""
    parts = []
    for r in session.readings:
        bits = [f"{r.pressure} mmHg" if r.pressure else "", f"heart rate {r.heart_rate}" if r.heart_rate is not None else ""]
        parts.append(f"{r.label.lower()} {', '.join(b for b in bits if b) or 'not noted'}")
    return "; ".join(parts)


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
        "readings": {name: getattr(session, name) for name in FIELDS},
    }
