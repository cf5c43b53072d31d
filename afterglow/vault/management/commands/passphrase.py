"""`afterglow passphrase change`: re-wrap the data key under a new passphrase (instant)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from afterglow.lib.cli import Command as BaseCommand
from afterglow.vault import session

NEW_ENV = "AFTERGLOW_NEW_PASSPHRASE"


class Command(BaseCommand):
    help = f"Change the passphrase. Non-interactive: AFTERGLOW_PASSPHRASE (current) and {NEW_ENV} (new)."
    needs_unlock = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["change"])

    def handle(self, *args: Any, **options: Any) -> None:
        current = session.ask_passphrase("Current passphrase: ")
        session.keyfile.load().open_with_passphrase(current)  # fail before asking for a new one
        session.change_passphrase(current, session.ask_new_passphrase(NEW_ENV))
        self.stdout.write("Passphrase changed. Your entries were not touched, and your recovery key still works.")
