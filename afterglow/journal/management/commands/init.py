"""`afterglow init`: create the data directory and the journal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command

from afterglow.journal.access import local_patient
from afterglow.lib.cli import Command as BaseCommand


class Command(BaseCommand):
    help = "Create the data directory and the journal."

    def handle(self, *args: Any, **options: Any) -> None:
        settings.HOME.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, interactive=False)
        local_patient()
        self.stdout.write(f"Journal ready in {settings.HOME}")
