"""`afterglow remind`: what is due now, for a person's own cron job or systemd timer.

Quiet when nothing is due, status 0 either way. Without AFTERGLOW_PASSPHRASE and
without a terminal the journal stays locked: then only the daily check-in, which
needs nothing from the journal, can be said.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from afterglow.lib.errors import UserError
from afterglow.preferences.store import for_command
from afterglow.rhythm import preferences, rules
from afterglow.rhythm.kinds import wording
from afterglow.vault.verbs import Command as BaseCommand

DEFAULT_WITHIN = 15
AT_FORMAT = "%Y-%m-%d %H:%M"


class Command(BaseCommand):
    help = "Print the reminders that are due now (for cron or a systemd timer); quiet when none are."
    needs_unlock = False  # unlocked below only when a passphrase can be had without asking

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--within", type=int, default=DEFAULT_WITHIN, metavar="MINUTES",
            help=f"how far back 'now' reaches; match your timer's interval (default {DEFAULT_WITHIN})",
        )  # fmt: skip
        parser.add_argument("--at", metavar="'YYYY-MM-DD HH:MM'", help="pretend it is this moment (in your reminders' time zone)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["within"] <= 24 * 60:
            raise UserError("--within takes minutes from 1 to 1440 (a day).")
        prefs = preferences.load(for_command())
        now = _moment(options["at"], prefs) if options["at"] else timezone.now().astimezone(prefs.zone)
        for reminder in due_now(prefs, now, timedelta(minutes=options["within"])):
            self.stdout.write(f"{reminder.at:%H:%M}  {wording().kind(reminder.kind).line}")


def due_now(prefs: preferences.Preferences, now: datetime, within: timedelta) -> list[rules.Reminder]:
    if not prefs.times:
        return []
    if not _can_unlock():
        locked = preferences.Preferences({k: t for k, t in prefs.times.items() if k == "checkin"}, prefs.zone, prefs.detailed)
        return rules.due(locked, rules.Facts(), now, within)
    from afterglow.access import local_patient
    from afterglow.rhythm import facts
    from afterglow.vault.session import unlock_for_cli

    unlock_for_cli()
    start = (now - within).date()
    return rules.due(prefs, facts.gather(local_patient(), start, now.date(), prefs.zone), now, within)


def _can_unlock() -> bool:
    from afterglow.vault.session import PASSPHRASE_ENV, is_unlocked

    return is_unlocked() or bool(os.environ.get(PASSPHRASE_ENV)) or sys.stdin.isatty()


def _moment(text: str, prefs: preferences.Preferences) -> datetime:
    try:
        return datetime.strptime(text.strip(), AT_FORMAT).replace(tzinfo=prefs.zone)
    except ValueError:
        raise UserError(f"--at {text!r} is not a moment such as '2027-03-28 20:00'.") from None
