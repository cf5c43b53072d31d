"""The real LAN listener (cheroot with TLS): HTTPS only, and our certificate chain verifies in OpenSSL."""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from afterglow.phones import ca, lan
from afterglow.wsgi import application
from tests.settings_test import program_env
from tests.webclient import free_port

AFTERGLOW = str(Path(sys.executable).with_name("afterglow"))


@pytest.fixture
def listener(db):
    port = free_port()
    here = lan.Lan("127.0.0.1", port, "studio.local")
    ca.ensure_server(os.urandom(32), "test", here.address, here.name)
    lan.allow_hosts(here)
    server = lan.build_server(application, here, threads=2)
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield here
    server.stop()


def _trusting_our_root() -> ssl.SSLContext:
    root = ca.root_certificate()
    assert root is not None
    return ssl.create_default_context(cadata=root.public_bytes(serialization.Encoding.PEM).decode())


def test_it_answers_plain_http_on_the_lan_port_with_a_refusal(listener):
    with socket.create_connection((listener.address, listener.port), timeout=5) as raw:
        raw.sendall(b"GET /timeline HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try:
            answer = raw.recv(4096)
        except ConnectionResetError:  # cheroot closes as soon as it has said so; the answer may be cut
            answer = b""
    # Either cheroot's one-line refusal or a closed connection: never a page, never a redirect into the app.
    if answer:
        assert b" 400 " in answer.split(b"\r\n", 1)[0] and b"only speaks HTTPS" in answer


def test_it_speaks_tls_with_a_certificate_that_verifies_against_the_journals_root(listener):
    connection = http.client.HTTPSConnection(listener.address, listener.port, context=_trusting_our_root(), timeout=10)
    connection.request("GET", "/healthz")
    assert connection.getresponse().read() == b"ok"
    connection.request("GET", "/timeline")
    response = connection.getresponse()
    response.read()
    assert response.status == 302 and response.getheader("Location") == "/pair"  # an unpaired device


def test_it_refuses_a_connection_that_does_not_trust_the_root(listener):
    with pytest.raises(ssl.SSLCertVerificationError):
        plain_trust = ssl.create_default_context()
        http.client.HTTPSConnection(listener.address, listener.port, context=plain_trust, timeout=10).request("GET", "/")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--lan", "--host", "0.0.0.0"], "leave out --host"),
        (["--lan", "--lan-address", "8.8.8.8"], "not a home-network address"),
        (["--lan", "--lan-address", "192.168.254.253"], "cannot listen on https://192.168.254.253"),  # not this computer's
    ],
)
def test_it_refuses_a_lan_listener_it_should_not_start(tmp_path, args, says):
    outside = {k: v for k, v in os.environ.items() if not k.startswith("AFTERGLOW_")}
    env = program_env({**outside, "AFTERGLOW_HOME": str(tmp_path)})
    done = subprocess.run([AFTERGLOW, "serve", "--no-browser", *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert says in done.stderr and "Traceback" not in done.stderr


@pytest.mark.vault_locked
def test_it_starts_the_phone_address_once_the_journal_is_unlocked_here(db):
    from afterglow.vault import keyring

    here = lan.Lan("127.0.0.1", free_port(), "studio.local")
    started: list[lan.Lan] = []
    lan.start(application, here, 2, started.append, poll=0.05)
    threading.Event().wait(0.3)
    assert not started and not ca.server_key_path().exists()  # no key in memory: no certificate yet
    keyring.remember(os.urandom(32))
    for _ in range(100):
        if started:
            break
        threading.Event().wait(0.05)
    assert started == [here] and here.running
    try:
        connection = http.client.HTTPSConnection(here.address, here.port, context=_trusting_our_root(), timeout=10)
        connection.request("GET", "/healthz")
        assert connection.getresponse().read() == b"ok"
    finally:
        lan.stop()
