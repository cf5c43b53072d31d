"""`afterglow serve`: the local web app on 127.0.0.1:8765 (waitress)."""

from __future__ import annotations

import os
import threading
import webbrowser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser

from afterglow.lib.cli import Command as BaseCommand
from afterglow.lib.cli import fail
from afterglow.vault import keyring


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or os.name == "nt"


class Command(BaseCommand):
    help = "Serve Afterglow in your browser (localhost only by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.HOST)
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--no-browser", action="store_true", help="do not open a browser window")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import create_server

        from afterglow.wsgi import application

        settings.HOME.mkdir(parents=True, exist_ok=True)
        if keyring.current_key() is not None or not self._vault_in_use():
            call_command("migrate", verbosity=0, interactive=False)
        try:
            server = create_server(application, host=options["host"], port=options["port"], threads=options["threads"])
        except OSError as exc:
            fail(f"cannot listen on {options['host']}:{options['port']} ({exc.strerror}); is Afterglow already running?")
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Afterglow is running at {url}  (Ctrl+C to stop)")
        self.stdout.flush()
        if not options["no_browser"] and _has_display():
            threading.Timer(0.5, webbrowser.open, args=(url,)).start()
        self._start_background()
        server.run()

    def _vault_in_use(self) -> bool:
        return (settings.HOME / "keys.json").exists()

    def _start_background(self) -> None:
        """Hook for background workers (task queue, daily backup) started alongside the server."""
