"""`afterglow init`: create the data directory, keys.json and the encrypted journal."""

from __future__ import annotations

from typing import Any

from afterglow.vault import session, store
from afterglow.vault.errors import VaultError
from afterglow.vault.strength import hint
from afterglow.vault.verbs import Command as BaseCommand


class Command(BaseCommand):
    help = "Create the encrypted journal; asks for a passphrase (or reads AFTERGLOW_PASSPHRASE) and prints the recovery key."
    needs_unlock = False

    def handle(self, *args: Any, **options: Any) -> None:
        if session.is_set_up():  # before asking for a passphrase that could not be used
            raise VaultError(f"A journal already exists in {store.home()}; nothing was changed.")
        converting = store.journal_path().exists()
        passphrase = session.ask_new_passphrase()
        self.stdout.write(hint(passphrase))
        # Deriving the key and setting up the tables take a few seconds: say so first.
        self.stdout.write("Creating your encrypted journal; this takes a few seconds…")
        self.stdout.flush()
        recovery = session.create_journal(passphrase)
        if converting:
            self.stdout.write("Your existing journal is now encrypted; nothing was lost.")
        self.stdout.write(f"Journal ready in {store.home()}\n")
        self.stdout.write("Your recovery key (shown only this once). Write it down or print it and keep it somewhere safe:\n")
        self.stdout.write(f"    {'  '.join(recovery.split('-'))}\n")
        self.stdout.write("If you forget your passphrase, `afterglow recover` takes this key and lets you set a new one.")
        session.confirm_recovery()  # shown in the terminal: the web's "I have kept it" step is not asked again
