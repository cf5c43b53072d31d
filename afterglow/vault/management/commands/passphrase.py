"""`afterglow passphrase change|rekey`.

change: re-wrap the data key under a new passphrase (instant), in keys.json and in the backups' keys files.
rekey:  a new data key for the journal (every page re-encrypted), a new passphrase and a new recovery key,
        for when the passphrase or a copy of keys.json may be known to someone.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from afterglow.vault import session
from afterglow.vault.verbs import Command as BaseCommand

NEW_ENV = "AFTERGLOW_NEW_PASSPHRASE"


class Command(BaseCommand):
    help = (
        "change: a new passphrase (instant). rekey: a new encryption key for the journal, a new passphrase and a "
        f"new recovery key. Non-interactive: AFTERGLOW_PASSPHRASE (current) and {NEW_ENV} (new)."
    )
    needs_unlock = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["change", "rekey"])

    def handle(self, *args: Any, **options: Any) -> None:
        current = session.ask_passphrase("Current passphrase: ")
        session.keyfile.load().open_with_passphrase(current)  # fail before asking for a new one
        new = session.ask_new_passphrase(NEW_ENV)
        if options["action"] == "change":
            backups = session.change_passphrase(current, new)
            self.stdout.write("Passphrase changed. Your entries were not touched, and your recovery key still works.")
        else:
            self.stdout.write("Re-encrypting the journal with a new key; this takes a moment for a large journal…")
            recovery, backups = session.rekey_journal(current, new)
            self.stdout.write("Done. The journal has a new key; only the new passphrase opens it.\n")
            self.stdout.write("Your NEW recovery key (the old one no longer opens this journal). Write it down or print it:\n")
            self.stdout.write(f"    {'  '.join(recovery.split('-'))}\n")
            session.confirm_recovery()  # shown in the terminal, as `init` does
        for line in backups.sentences(rekeyed=options["action"] == "rekey"):
            self.stdout.write(line)
