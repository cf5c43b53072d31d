"""`afterglow checkin --mood N`: today's (or another day's) check-in."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.utils import timezone

from afterglow.journal import cli_format as fmt
from afterglow.journal.access import local_patient
from afterglow.journal.checkins import save_checkin
from afterglow.lib.cli import Command as BaseCommand
from afterglow.lib.cli import UserError


class Command(BaseCommand):
    help = "Check in for today: mood, and if you like anxiety, sleep, energy and a note."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mood", required=True, help="1 (very low) to 10 (very good)")
        parser.add_argument("--anxiety", help="0 (none) to 10 (overwhelming)")
        parser.add_argument("--sleep", help="hours slept last night, e.g. 6.5")
        parser.add_argument("--energy", help="1 (drained) to 10 (full of energy)")
        parser.add_argument(
            "--note", default="", help=f"anything about your body or the day; '-' reads it from stdin ({fmt.ARGV_IS_VISIBLE})"
        )
        parser.add_argument("--date", help="the day, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = fmt.parse_day(options["date"], lived=True) if options["date"] else timezone.localdate()
        mood = fmt.parse_whole(options["mood"], 1, 10, "--mood")
        if mood is None:  # argparse requires --mood; this keeps the type honest
            raise UserError("--mood is needed: 1 (very low) to 10 (very good)")
        anxiety = fmt.parse_whole(options["anxiety"], 0, 10, "--anxiety")
        sleep_hours = fmt.parse_hours(options["sleep"])
        energy = fmt.parse_whole(options["energy"], 1, 10, "--energy")
        note = fmt.text_option(options["note"], "--note").strip()
        try:
            checkin, created = save_checkin(
                local_patient(), day, mood=mood, anxiety=anxiety, sleep_hours=sleep_hours, energy=energy, note=note
            )
        except ValidationError as exc:
            raise UserError(" ".join(exc.messages)) from None
        verb = "Saved" if created else "Updated"
        self.stdout.write(f"{verb} the check-in for {checkin.day:%Y-%m-%d}: mood {checkin.mood}/10.")
