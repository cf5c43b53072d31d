"""`afterglow serve --lan`: the journal over HTTPS on this computer's home-network address.

The loopback listener stays waitress over plain HTTP (nothing leaves the computer there). Waitress
speaks no TLS, so the LAN listener is cheroot (CherryPy's WSGI server, maintained, pure Python) with
its builtin `ssl` adapter. It speaks only TLS: a plain-HTTP request to it is answered with cheroot's
one-line 400 ("this server only speaks HTTPS on this port") and never reaches the journal. Every
request it passes on is marked in the WSGI environ (a key no HTTP header can produce), which is how
the middleware tells a phone from this computer.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from afterglow.lib.net import LAN_ENVIRON_KEY
from afterglow.phones import ca
from afterglow.vault import keyring

log = logging.getLogger("afterglow.phones")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Lan:
    address: str
    port: int
    name: str  # the .local name
    running: bool = False
    problem: str = ""

    @property
    def url(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"https://{host}:{self.port}/"


# What `serve --lan` set up in this process (None: no LAN listener asked for), and its server.
current: Lan | None = None
_server: Any = None


def guess_address() -> str | None:
    """This computer's address on the network of its default route. Connecting a UDP socket sends
    nothing; it only asks the kernel which local address it would use."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            return str(probe.getsockname()[0])
        except OSError:
            return None


def local_name() -> str:
    """`<hostname>.local`, as phones find this computer by mDNS where the network allows."""
    host = socket.gethostname().split(".", 1)[0].lower()
    host = re.sub(r"[^a-z0-9-]+", "-", host).strip("-") or "afterglow"
    return f"{host[:50]}.local"


def journal_label() -> str:
    """Names the CA for people ("Afterglow journal 3f2a…"), so two journals' roots are told apart."""
    from afterglow.vault import keyfile, keyshape
    from afterglow.vault.errors import VaultError

    try:
        return keyfile.load().journal_id
    except (VaultError, keyshape.Damaged):
        return "journal"


def cannot_listen(lan: Lan) -> str:
    """Why the LAN listener could not bind (an address not on this computer, a port in use), or ''.
    Checked before `serve` starts, so the person reads it at once rather than in a log later."""
    family = socket.AF_INET6 if ":" in lan.address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((lan.address, lan.port))
        except OSError as exc:
            return f"cannot listen on {lan.url} ({exc.strerror or exc})"
    return ""


def marked(app: WsgiApp) -> WsgiApp:
    def lan_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ[LAN_ENVIRON_KEY] = True
        return app(environ, start_response)

    return lan_app


def _tls_adapter() -> Any:
    from cheroot.ssl.builtin import BuiltinSSLAdapter

    adapter = BuiltinSSLAdapter(str(ca.server_cert_path()), str(ca.server_key_path()))
    adapter.context.minimum_version = ssl.TLSVersion.TLSv1_2
    return adapter


def build_server(app: WsgiApp, lan: Lan, threads: int) -> Any:
    from cheroot import wsgi

    class Server(wsgi.Server):
        def error_log(self, msg: str = "", level: int = 20, traceback: bool = False) -> None:
            # cheroot prints a traceback to stderr when a phone drops a connection mid-answer (Wi-Fi,
            # a closed tab): one quiet log line instead. Its messages name addresses, never content.
            log.log(logging.DEBUG if level < logging.ERROR else logging.WARNING, "phone listener: %s", msg)

    server = Server((lan.address, lan.port), marked(app), numthreads=threads, server_name=lan.name)
    server.ssl_adapter = _tls_adapter()
    # Bodies stay in memory on their way to the encrypted database, as with waitress.
    server.max_request_body_size = settings.MEDIA_MAX_UPLOAD_BYTES + 16 * 1024 * 1024
    return server


def allow_hosts(lan: Lan) -> None:
    """Django's Host check: the LAN address and the .local name are this server's names too."""
    for host in (lan.address, f"[{lan.address}]" if ":" in lan.address else lan.address, lan.name):
        if host not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append(host)


def certificate_ready(lan: Lan) -> bool:
    """Whether server.pem fits; issue one when it does not and the journal is unlocked here."""
    if ca.server_fits(lan.address, lan.name):
        return True
    key = keyring.current_key()
    if key is None:
        return False
    ca.ensure_server(key, journal_label(), lan.address, lan.name)
    return True


def start(app: WsgiApp, lan: Lan, threads: int, on_ready: Callable[[Lan], None], poll: float = 1.0) -> threading.Thread:
    """Start the LAN listener in the background: at once when a fitting certificate exists or can be
    issued, otherwise as soon as the journal is unlocked on this computer (the CA key needs it)."""
    global current
    current = lan
    allow_hosts(lan)

    def run() -> None:
        while not certificate_ready(lan):
            time.sleep(poll)
        try:
            server = build_server(app, lan, threads)
            server.prepare()
        except OSError as exc:
            lan.problem = f"cannot listen on {lan.url} ({exc.strerror or exc})"
            log.warning("The phone address could not start: %s", lan.problem)
            return
        global _server
        _server, lan.running = server, True
        on_ready(lan)
        server.serve()

    thread = threading.Thread(target=run, name="afterglow-lan", daemon=True)
    thread.start()
    return thread


def stop() -> None:
    """Stop the LAN listener (the process ending stops it too)."""
    global _server
    if _server is not None:
        _server.stop()
        _server = None
