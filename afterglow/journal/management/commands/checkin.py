"""`afterglow checkin --mood N`: a check-in now (or at another day and time); several a day are fine."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.utils import timezone

from afterglow.access import local_patient
from afterglow.journal import cli_format as fmt
from afterglow.journal.checkins import checkin_moment, save_checkin
from afterglow.lib.errors import UserError
from afterglow.vault.verbs import Command as BaseCommand


class Command(BaseCommand):
    help = "Check in: mood, and if you like anxiety, sleep, energy, pain and a note. Each check-in is kept with its time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mood", required=True, help="1 (very low) to 10 (very good)")
        parser.add_argument("--anxiety", help="0 (none) to 10 (overwhelming)")
        parser.add_argument("--sleep", help="hours slept last night, e.g. 6.5")
        parser.add_argument("--energy", help="1 (drained) to 10 (full of energy)")
        parser.add_argument("--pain", help="0 (no pain) to 10 (the worst you can imagine)")
        parser.add_argument(
            "--note", default="", help=f"anything about your body or the day; '-' reads it from stdin ({fmt.ARGV_IS_VISIBLE})"
        )
        parser.add_argument("--date", help="the day, YYYY-MM-DD (default: today)")
        parser.add_argument("--time", help="the time, HH:MM (default: now today, 12:00 on an earlier day)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = fmt.parse_day(options["date"], lived=True) if options["date"] else timezone.localdate()
        clock = fmt.parse_clock(options["time"]) if options["time"] else None
        mood = fmt.parse_whole(options["mood"], 1, 10, "--mood")
        if mood is None:  # argparse requires --mood; this keeps the type honest
            raise UserError("--mood is needed: 1 (very low) to 10 (very good)")
        anxiety = fmt.parse_whole(options["anxiety"], 0, 10, "--anxiety")
        sleep_hours = fmt.parse_hours(options["sleep"])
        energy = fmt.parse_whole(options["energy"], 1, 10, "--energy")
        pain = fmt.parse_whole(options["pain"], 0, 10, "--pain")
        note = fmt.text_option(options["note"], "--note").strip()
        try:
            checkin = save_checkin(
                local_patient(),
                checkin_moment(day, clock),
                mood=mood,
                anxiety=anxiety,
                sleep_hours=sleep_hours,
                energy=energy,
                pain=pain,
                note=note,
            )
        except ValidationError as exc:
            raise UserError(" ".join(exc.messages)) from None
        self.stdout.write(f"Saved a check-in for {fmt.local_stamp(checkin.at)}: mood {checkin.mood}/10.")
