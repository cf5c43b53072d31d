"""`afterglow serve`: the local web app on 127.0.0.1:8765 (waitress)."""

from __future__ import annotations

import os
import threading
import webbrowser
from functools import partial
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser

from afterglow import modes
from afterglow.lib.browser import open_privately, remove_leftovers
from afterglow.lib.net import is_loopback_host
from afterglow.vault.background import start as start_vault_background
from afterglow.vault.session import unlock_for_serve
from afterglow.vault.verbs import Command as BaseCommand
from afterglow.web.cli import fail, number_between


def _in_memory() -> dict[str, int]:
    """Waitress spools request and response bodies over 512 KB / 1 MB to temporary files: a voice
    note or photo would reach the disk in clear. Keep every body up to the media limit in memory,
    and refuse larger ones before they are read."""
    limit = settings.MEDIA_MAX_UPLOAD_BYTES + 16 * 1024 * 1024
    return {"inbuf_overflow": limit, "outbuf_overflow": limit, "max_request_body_size": limit}


def listening_port(server: Any, asked: int) -> int:
    """The port the socket is bound to, as the kernel says: the URL printed must be the one that answers."""
    port = getattr(server, "effective_port", None)
    if port is None:  # several sockets (a name with IPv4 and IPv6 addresses): the first one's
        listening = getattr(server, "effective_listen", None) or [(None, asked)]
        port = listening[0][1]
    return int(port)


_NOT_LOOPBACK = (
    "Warning: listening on {host}, but the journal opens only on this computer: other devices get a "
    "page that says so (for phones, use --lan instead: HTTPS, paired phones only). {reach}"
)
_WILDCARDS = ("0.0.0.0", "::", "[::]", "")


def _not_loopback_warning(host: str, port: int) -> str:
    if host in _WILDCARDS:
        reach = f"On this computer, open http://{_local_address(host)}:{port}/."
    else:
        reach = "Nothing opens the journal through that address; use --host 127.0.0.1."
    return _NOT_LOOPBACK.format(host=host, reach=reach)


def _local_address(host: str) -> str:
    """How this computer reaches the server: the host itself when it is loopback, else 127.0.0.1."""
    if is_loopback_host(host):
        return f"[{host}]" if ":" in host and not host.startswith("[") else host
    return "[::1]" if ":" in host else "127.0.0.1"  # a wildcard (0.0.0.0, ::) answers there too


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or os.name == "nt"


class Command(BaseCommand):
    help = "Serve Afterglow in your browser (localhost only by default)."
    needs_unlock = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=settings.HOST,
            help="address to listen on (default 127.0.0.1); the journal opens only on this computer whatever it is",
        )
        parser.add_argument("--port", type=number_between(1, 65535), default=str(settings.PORT), help="1 to 65535")
        parser.add_argument("--no-browser", action="store_true", help="do not open a browser window")
        parser.add_argument(
            "--lan",
            action="store_true",
            help="also serve paired phones over HTTPS on this computer's home-network address",
        )
        parser.add_argument("--lan-address", default="", help="the home-network address for --lan (default: found by itself)")
        parser.add_argument("--lan-port", type=number_between(1, 65535), default=None, help="port for --lan (default: --port)")
        # Few threads: pages are short CPU work under one GIL, so more threads only stretch each
        # other's time (20 paced clients on 2 cores: p95 ~60 ms with 2 threads, ~90 ms with 8).
        parser.add_argument("--threads", type=number_between(1, 64), default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import create_server

        from afterglow.wsgi import application

        lan = self._lan_wanted(options)
        settings.HOME.mkdir(parents=True, exist_ok=True)
        remove_leftovers(settings.HOME)
        start_secret = None
        mode = modes.current()
        if mode.unlocks_in_process:
            # With AFTERGLOW_PASSPHRASE: start unlocked and migrate; otherwise the browser unlocks.
            start_secret = unlock_for_serve()
        else:
            call_command("migrate", verbosity=0, interactive=False)
        try:
            server = create_server(
                application, host=options["host"], port=options["port"], threads=options["threads"], **_in_memory()
            )
        except ValueError:  # waitress: a host that is no address or name it can resolve
            fail(f"--host {options['host']!r} is not an address this computer can listen on (for example 127.0.0.1)")
        except OSError as exc:
            fail(f"cannot listen on {options['host']}:{options['port']} ({exc.strerror}); is Afterglow already running?")
        host = f"[{options['host']}]" if ":" in options["host"] else options["host"]  # IPv6 goes in brackets in a URL
        port = listening_port(server, options["port"])
        url = f"http://{host}:{port}/"
        self.stdout.write(f"Afterglow is running at {url}  (Ctrl+C to stop)")
        if mode.serves_this_computer_only and not is_loopback_host(options["host"]):
            self.stderr.write(_not_loopback_warning(options["host"], port))
        if start_secret:
            # Unlocked from the environment: only a browser that opens this link gets in, so another
            # account on this computer cannot read the journal by visiting the port.
            from django.urls import reverse

            url = f"http://{_local_address(options['host'])}:{port}{reverse('vault_start', args=[start_secret])}"
            self.stdout.write(f"The journal is unlocked. Open it with this one-time link: {url}")
            self.stdout.write("(Any other browser needs the passphrase.)")
        self.stdout.flush()
        if not options["no_browser"] and _has_display():
            # A link with a secret must not reach the browser's command line, which every user can read.
            opener = partial(open_privately, folder=settings.HOME) if start_secret else webbrowser.open
            threading.Timer(0.5, opener, args=(url,)).start()
        if lan is not None:
            self._start_lan(application, lan, options["threads"])
        self._start_background()
        try:
            server.run()
        finally:
            remove_leftovers(settings.HOME)

    def _lan_wanted(self, options: dict[str, Any]) -> Any:
        """The LAN listener asked for (`--lan`), checked before anything starts; None without --lan."""
        if not options["lan"]:
            return None
        if modes.current().clinic:
            fail("--lan is for a journal on this computer; a clinic server sits behind the clinic's own HTTPS proxy")
        if not is_loopback_host(options["host"]):
            fail("--lan keeps the plain address on this computer and adds HTTPS for phones; leave out --host (or use 127.0.0.1)")
        # The LAN listener lives in the phones app; serve only starts it (afterglow.phones.lan is its contract).
        from afterglow.phones import ca
        from afterglow.phones.lan import Lan, cannot_listen, guess_address, local_name

        address = options["lan_address"].strip().strip("[]") or guess_address()
        if not address:
            fail("--lan found no home-network address: join a Wi-Fi network, or give one with --lan-address")
        if not ca.is_home_address(address):
            fail(f"--lan-address {address} is not a home-network address (like 192.168.1.20); Afterglow serves phones only there")
        lan = Lan(address, options["lan_port"] or options["port"], local_name())
        if problem := cannot_listen(lan):
            fail(f"--lan {problem}; is this computer's address {address}, and is the port free?")
        return lan

    def _start_lan(self, application: Any, lan: Any, threads: int) -> None:
        from afterglow.phones.lan import certificate_ready, start

        def ready(lan: Any) -> None:
            self.stdout.write(f"Phones on this Wi-Fi can pair at {lan.url}  (Settings → Phones on this computer shows the code)")
            self.stdout.flush()

        if not certificate_ready(lan):
            self.stdout.write(
                "The phone address starts once the journal is unlocked on this computer (its certificate needs the key)."
            )
        start(application, lan, threads, ready)

    def _start_background(self) -> None:
        """Hook for background workers (task queue, daily backup) started alongside the server."""
        mode = modes.current()
        if mode.unlocks_in_process:
            # `list`, `search` and `write` in a terminal ask this server over a private socket.
            from afterglow import cli_server

            cli_server.start(settings.HOME)
            start_vault_background()
        if mode.runs_worker_in_process:
            # The data key lives only in this process, so the job queue's worker runs here too.
            from afterglow.media.voice.worker import start_thread

            start_thread()
