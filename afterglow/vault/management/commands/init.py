"""`afterglow init`: create the data directory, keys.json and the encrypted journal."""

from __future__ import annotations

from typing import Any

from afterglow.lib.cli import Command as BaseCommand
from afterglow.vault import session, store
from afterglow.vault.strength import hint


class Command(BaseCommand):
    help = "Create the encrypted journal; asks for a passphrase (or reads AFTERGLOW_PASSPHRASE) and prints the recovery key."
    needs_unlock = False

    def handle(self, *args: Any, **options: Any) -> None:
        converting = store.journal_path().exists() and not session.is_set_up()
        passphrase = session.ask_new_passphrase()
        self.stdout.write(hint(passphrase))
        recovery = session.create_journal(passphrase)
        if converting:
            self.stdout.write("Your existing journal is now encrypted; nothing was lost.")
        self.stdout.write(f"Journal ready in {store.home()}\n")
        self.stdout.write("Your recovery key (shown only this once). Write it down or print it and keep it somewhere safe:\n")
        self.stdout.write(f"    {'  '.join(recovery.split('-'))}\n")
        self.stdout.write("If you forget your passphrase, `afterglow recover` takes this key and lets you set a new one.")
        session.confirm_recovery()  # shown in the terminal: the web's "I have kept it" step is not asked again
