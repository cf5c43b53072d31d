"""Who a real `afterglow serve` lets in: this computer only, and with AFTERGLOW_PASSPHRASE only its start link."""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.vault.conftest import cli_env
from tests.webclient import Client, serving

ENTRY = "the colours were warm and slow"  # written into `home` by the vault conftest


def lan_address() -> str | None:
    """One of this machine's non-loopback addresses, if it has any."""
    try:
        found = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout.split()
    except OSError:
        return None
    v4 = [a for a in found if "." in a and not a.startswith("127.")]
    return v4[0] if v4 else None


def fetch(url: str, host_header: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host_header} if host_header else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_it_refuses_a_network_peer_whatever_its_host_header_says(home: Path):
    address = lan_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    with serving(cli_env(home), host="0.0.0.0") as web:
        port = web.base.rsplit(":", 1)[1]
        for path in ("/timeline", "/", "/static/css/app.css", "/unlock", f"/start/{web.start_link().rsplit('/', 1)[1]}"):
            status, body = fetch(f"http://{address}:{port}{path}", host_header=f"127.0.0.1:{port}")
            assert status == 403, path
            assert "only opens on this computer" in body and ENTRY not in body
        assert fetch(f"http://{address}:{port}/healthz", host_header=f"127.0.0.1:{port}")[0] == 200
        assert ENTRY in web.get("/timeline").decode()  # this computer still reads it
        assert "Warning: listening on 0.0.0.0" in web.output() and f"open http://127.0.0.1:{port}/" in web.output()


def test_a_server_on_loopback_says_nothing_about_the_network(home: Path):
    with serving(cli_env(home)) as web:
        assert ENTRY in web.get("/timeline").decode()
        assert "Warning" not in web.output()


def test_a_server_unlocked_from_the_environment_opens_only_through_its_one_time_link(home: Path):
    with serving(cli_env(home), let_in=False) as owner:
        stranger = Client(owner.base)
        page = stranger.get("/timeline").decode()
        assert ENTRY not in page and "not in this browser yet" in page

        owner.let_in()
        assert ENTRY in owner.get("/timeline").decode()

        status, body = fetch(owner.start_link())  # the same link, a second time, from another client
        assert status == 403 and "used up" in body and ENTRY not in body
        assert ENTRY not in stranger.get("/timeline").decode()


def test_the_warning_says_where_this_computer_can_still_open_it():
    from afterglow.pages.management.commands.serve import _not_loopback_warning

    assert "open http://127.0.0.1:8765/" in _not_loopback_warning("0.0.0.0", 8765)
    assert "open http://[::1]:8765/" in _not_loopback_warning("::", 8765)
    assert "use --host 127.0.0.1" in _not_loopback_warning("192.0.2.2", 8765)
