"""`afterglow recover`: open the journal with the recovery key and set a new passphrase."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from afterglow.vault import keyfile, session
from afterglow.vault.verbs import Command as BaseCommand
from afterglow.web.cli import fail

RECOVERY_ENV = "AFTERGLOW_RECOVERY_KEY"
NEW_ENV = "AFTERGLOW_NEW_PASSPHRASE"


class Command(BaseCommand):
    help = f"Set a new passphrase using the recovery key ({RECOVERY_ENV} and {NEW_ENV} for scripts)."
    needs_unlock = False

    def handle(self, *args: Any, **options: Any) -> None:
        recovery = os.environ.get(RECOVERY_ENV)
        if not recovery:
            if not sys.stdin.isatty():
                fail(f"Set {RECOVERY_ENV} or run this in a terminal to type the recovery key.")
            recovery = getpass.getpass("Recovery key: ")
        keyfile.load().open_with_recovery(recovery)  # check it before asking for a new passphrase
        session.recover(recovery, session.ask_new_passphrase(NEW_ENV), migrate=False)
        self.stdout.write("New passphrase set. Your recovery key still works; keep it safe.")
