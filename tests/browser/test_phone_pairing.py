"""A phone on the Wi-Fi: pair it with the code from the computer, unlock, check in, keep a note and
a voice note (fake microphone) while the computer is out of reach and see them arrive when it is
back; then the computer revokes it.

Against the real `serve --lan` HTTPS listener (cheroot). Chromium trusts the journal's root the
honest way: `--ignore-certificate-errors-spki-list` with the SHA-256 of our CA's public key, which
pins exactly this journal's CA and nothing else.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from cryptography import x509
from playwright.sync_api import Page, expect

from afterglow.phones import ca
from tests.browser.conftest import (
    AFTERGLOW,
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSPHRASE,
    Server,
    _free_port,
    _start_link,
    _wait_healthy,
    _watch,
    shot,
)
from tests.settings_test import program_env

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
KEPT_ON_PHONE = """new Promise(done => {
  const opened = indexedDB.open('afterglow-outbox', 1);
  opened.onsuccess = () => {
    const all = opened.result.transaction('items').objectStore('items').getAll();
    all.onsuccess = () => done(all.result.length);
  };
})"""


def axe_violations(page: Page) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in Axe().run(page).response["violations"]]


def _wait_for(log: Path, pattern: bytes, seconds: float = 20) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_bytes())
        if found:
            return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"serve never printed {pattern!r}: {log.read_text()[-2000:]}")


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """Two servers and two browsers on a loaded machine: give each expectation longer than 5 s."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def lan_server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    home = tmp_path / "home"
    outside = {k: v for k, v in os.environ.items() if not k.startswith("AFTERGLOW_")}
    env = program_env({**outside, "AFTERGLOW_HOME": str(home), "AFTERGLOW_PASSPHRASE": PASSPHRASE})
    assert subprocess.run([AFTERGLOW, "init"], env=env, capture_output=True, timeout=60).returncode == 0
    port, lan_port = _free_port(), _free_port()
    log = tmp_path / "serve.log"
    lan = ["--lan", "--lan-address", "127.0.0.1", "--lan-port", str(lan_port)]
    command = [AFTERGLOW, "serve", "--no-browser", "--port", str(port), *lan]
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    srv = Server(f"http://127.0.0.1:{port}/", home, env, process, log)
    _wait_healthy(srv.url, process, log)
    srv._link = _start_link(log, 0)
    lan_url = _wait_for(log, rb"pair at (https://\S+/)").decode()
    yield srv, lan_url
    srv.stop()


def _spki_of_root(home: Path) -> str:
    doc = json.loads((home / "phones" / "ca.json").read_text())
    return ca.spki_sha256(x509.load_pem_x509_certificate(doc["certificate"].encode()))


def _pairing_link(computer: Page, server: Server) -> str:
    computer.goto(server.url + "settings/phones")
    computer.get_by_role("button", name="Show a pairing code").click()
    expect(computer.locator(".phones-qr svg")).to_be_visible()
    return computer.locator("[data-pair-link]").inner_text().strip()


def test_a_phone_pairs_checks_in_and_sends_the_note_and_recording_it_kept_while_the_computer_was_away(
    browser, lan_server
) -> None:
    server, lan_url = lan_server
    pinned = f"--ignore-certificate-errors-spki-list={_spki_of_root(server.home)}"
    fake_mic = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    trusting = browser.browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, pinned, *fake_mic])
    try:
        desk = trusting.new_context(viewport={"width": 1280, "height": 860})
        server.let_in(desk)
        computer = desk.new_page()
        desk_watch = _watch(computer, server.url.rstrip("/"))
        link = _pairing_link(computer, server)
        assert link.startswith(lan_url + "pair?code=")
        assert axe_violations(computer) == []

        phone_context = trusting.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        phone = phone_context.new_page()
        phone.set_default_timeout(15_000)
        watch = _watch(phone, lan_url.rstrip("/"))
        phone.goto(link)
        assert phone.evaluate("window.isSecureContext")
        assert axe_violations(phone) == []
        phone.get_by_label("A name for this phone").fill("Sam's phone")
        phone.get_by_role("button", name="Pair this phone").tap()

        # The computer's page shows the new phone by itself (it looks again while a code is on screen).
        expect(computer.get_by_text("Sam's phone")).to_be_visible()
        expect(computer.get_by_role("button", name="Show a pairing code")).to_be_visible()

        # Paired, but the journal opens to a new browser only with the passphrase.
        expect(phone.get_by_label("Passphrase")).to_be_visible()
        phone.get_by_label("Passphrase").fill(PASSPHRASE)
        phone.get_by_role("button", name="Unlock").tap()
        expect(phone.get_by_role("link", name="Get help now").first).to_be_visible()
        header = phone.locator(".site-header").bounding_box()
        assert header is not None and header["height"] < PHONE["height"] / 8, header
        shot(phone, "phones-01-today-on-a-phone")
        phone.get_by_role("button", name="Menu").tap()
        expect(phone.get_by_role("link", name="Timeline")).to_be_visible()
        shot(phone, "phones-02-menu-open")

        # A check-in from the phone, through the page's own form.
        phone.goto(lan_url + "checkin")
        phone.locator("label").filter(has=phone.locator('input[name="mood"]')).get_by_text("7", exact=True).tap()
        phone.get_by_role("button", name="Save check-in").tap()
        expect(phone.get_by_role("status")).to_contain_text("Check-in for today at")

        # The app is installable: its service worker controls the page.
        phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
        phone.reload()
        assert phone.evaluate("!!navigator.serviceWorker.controller")

        # The computer out of reach: the quiet offline page, and a note kept on the phone.
        phone_context.set_offline(True)
        phone.goto(lan_url + "timeline")
        expect(phone.get_by_role("heading", name="Your computer is out of reach")).to_be_visible()
        phone.get_by_label("What is here right now?").fill("Kept on the phone while the Wi-Fi was gone")
        phone.get_by_role("button", name="Keep for the journal").tap()
        expect(phone.locator("[data-outbox-list]")).to_contain_text("Waiting to send to your journal (1)")
        phone.get_by_role("button", name="Record").tap()
        expect(phone.get_by_text("Recording…")).to_be_visible()
        phone.wait_for_timeout(1500)
        phone.get_by_role("button", name="Stop and keep").tap()
        expect(phone.locator("[data-outbox-list]")).to_contain_text("Waiting to send to your journal (2)")
        expect(phone.locator("[data-outbox-list]")).to_contain_text("A voice note")
        shot(phone, "phones-03-offline-waiting")
        assert axe_violations(phone) == []

        phone_context.set_offline(False)
        expect(phone.locator("[data-outbox-list]")).to_be_hidden(timeout=30_000)
        assert phone.evaluate(KEPT_ON_PHONE) == 0
        phone.goto(lan_url + "timeline")
        expect(phone.get_by_text("Kept on the phone while the Wi-Fi was gone")).to_be_visible()

        # Revoked on the computer: the phone's next request meets the pairing page.
        computer.goto(server.url + "settings/phones")
        expect(computer.get_by_text("Sam's phone")).to_be_visible()
        computer.get_by_role("button", name="Revoke Sam's phone").click()
        expect(computer.get_by_text("No phone is paired.")).to_be_visible()
        phone.goto(lan_url + "timeline")
        expect(phone.get_by_role("heading", name="Pair this phone")).to_be_visible()
        watch.assert_clean()
        desk_watch.assert_clean()
    finally:
        trusting.close()
