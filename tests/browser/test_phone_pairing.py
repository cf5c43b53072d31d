"""A phone on the Wi-Fi: pair it with the code from the computer, unlock, check in, take a photo with
the camera input and draw with a finger, keep a note and a voice note (fake microphone) while the
computer is out of reach and see them arrive when it is back; then the computer revokes it, and a
note kept offline after that is shown to copy, never lost.

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
    SAVED,
    Server,
    _free_port,
    _start_link,
    _wait_healthy,
    _watch,
    local_today,
    shot,
)
from tests.media.images import jpeg_with_gps
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


def _finger_stroke(phone: Page, points: list[tuple[float, float]]) -> None:
    """A line drawn with one finger (real touch events, through the browser's input), in fractions of the canvas."""
    box = phone.locator("#draw-canvas").bounding_box()
    assert box is not None
    at = [{"x": box["x"] + fx * box["width"], "y": box["y"] + fy * box["height"]} for fx, fy in points]
    touch = phone.context.new_cdp_session(phone)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [at[0]]})
    for point in at[1:]:
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    touch.detach()


def _photo_and_drawing(phone: Page, lan_url: str) -> None:
    """The camera's photo (the file input a phone opens its camera for) and a drawing made with a finger, both stored."""
    phone.goto(lan_url + "photos/new")
    picker = phone.get_by_label("Photo", exact=True)
    assert picker.get_attribute("capture") == "environment" and picker.get_attribute("accept") == "image/*"
    picker.set_input_files({"name": "camera.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(1200, 900)})
    phone.get_by_label("Caption").fill("The window after the session")
    phone.get_by_role("button", name="Add the photo").tap()
    image = phone.get_by_role("img", name="The window after the session")
    expect(image).to_be_visible()
    expect(phone.get_by_role("status")).to_contain_text("location and camera details were removed")
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0

    phone.goto(lan_url + "draw")
    canvas = phone.locator("#draw-canvas")
    expect(canvas).to_have_attribute("data-strokes", "0")
    canvas.evaluate("c => { window.kinds = []; c.addEventListener('pointerdown', e => window.kinds.push(e.pointerType)); }")
    _finger_stroke(phone, [(0.2, 0.3), (0.35, 0.45), (0.5, 0.5), (0.7, 0.4)])
    expect(canvas).to_have_attribute("data-strokes", "1")
    assert phone.evaluate("window.kinds") == ["touch"]
    expect(phone.locator("#draw-status")).to_contain_text("Saved", timeout=SAVED)
    expect(phone).to_have_url(re.compile(r"/drawings/\d+$"))
    phone.reload()
    expect(phone.locator("#draw-canvas")).to_have_attribute("data-strokes", "1")


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

        _photo_and_drawing(phone, lan_url)

        # The app is installable: its service worker controls the page.
        phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
        phone.reload()
        assert phone.evaluate("!!navigator.serviceWorker.controller")

        # Today's session, for a quick capture made while the computer is away.
        added = server.cli("session", "add", "--date", local_today(server).isoformat(), "--time", "00:01")
        assert added.returncode == 0, added.stderr
        phone.goto(lan_url + "course")
        phone.get_by_role("link", name=re.compile("Session 1")).first.tap()
        expect(phone).to_have_url(re.compile(r"/sessions/\d+$"))
        session_url = phone.url

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
        # The offline page in place of the session's capture: the line is kept as that session's answer.
        phone.goto(session_url + "/capture/now")
        expect(phone.get_by_role("heading", name="A line for this session's capture")).to_be_visible()
        phone.get_by_label("How was it, in a line or two?").fill("Drifting, then very still")
        phone.get_by_role("button", name="Keep for the journal").tap()
        expect(phone.locator("[data-outbox-list]")).to_contain_text("Waiting to send to your journal (3)")
        expect(phone.locator("[data-outbox-list]")).to_contain_text("An answer for a session's capture")
        shot(phone, "phones-03-offline-waiting")
        assert axe_violations(phone) == []

        phone_context.set_offline(False)
        expect(phone.locator("[data-outbox-list]")).to_be_hidden(timeout=30_000)
        assert phone.evaluate(KEPT_ON_PHONE) == 0
        phone.goto(lan_url + "timeline")
        expect(phone.get_by_text("Kept on the phone while the Wi-Fi was gone")).to_be_visible()
        expect(phone.get_by_text("Drifting, then very still")).to_have_count(0)  # not a written entry
        phone.goto(session_url + "/capture/summary")
        expect(phone.get_by_text("Drifting, then very still")).to_be_visible()

        # The capture page open when the Wi-Fi goes: its autosave keeps the answer on the phone for that step.
        phone.goto(session_url + "/capture/now")
        line = phone.get_by_label("One line, if you like")
        expect(line).to_have_value("Drifting, then very still")
        phone_context.set_offline(True)
        line.fill("Drifting, then very still, then warm")
        expect(phone.locator("#capture-status")).to_contain_text("Kept on this phone", timeout=SAVED)
        assert phone.evaluate(KEPT_ON_PHONE) == 1
        phone_context.set_offline(False)
        expect(phone.locator("[data-outbox]")).to_be_hidden(timeout=30_000)
        phone.goto(session_url + "/capture/summary")
        expect(phone.get_by_text("Drifting, then very still, then warm")).to_be_visible()

        # Revoked on the computer: the phone's next request meets the pairing page.
        computer.goto(server.url + "settings/phones")
        expect(computer.get_by_text("Sam's phone")).to_be_visible()
        computer.get_by_role("button", name="Revoke Sam's phone").click()
        expect(computer.get_by_text("No phone is paired.")).to_be_visible()
        phone.goto(lan_url + "timeline")
        expect(phone.get_by_role("heading", name="Pair this phone")).to_be_visible()

        # Revoked, a note kept while away is not sent: the phone says why and shows the words to copy.
        phone_context.set_offline(True)
        phone.goto(lan_url + "timeline")
        phone.get_by_label("What is here right now?").fill("Written after the phone was revoked")
        phone.get_by_role("button", name="Keep for the journal").tap()
        phone_context.set_offline(False)
        phone.goto(lan_url + "timeline")
        expect(phone.get_by_role("heading", name="Pair this phone")).to_be_visible()
        expect(phone.get_by_text("This phone is no longer paired")).to_be_visible(timeout=30_000)
        expect(phone.locator(".outbox-words")).to_have_text("Written after the phone was revoked")
        assert phone.evaluate(KEPT_ON_PHONE) == 1
        shot(phone, "phones-04-revoked-words-kept")
        watch.assert_clean()
        desk_watch.assert_clean()
    finally:
        trusting.close()
