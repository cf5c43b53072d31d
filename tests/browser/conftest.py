"""Browser scenarios: a real `afterglow serve` in a subprocess, driven by Debian's chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from tests.settings_test import program_env

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AFTERGLOW = str(Path(sys.executable).with_name("afterglow"))
PASSPHRASE = "a calm lake at dawn 4921"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Without these, Chromium reaches out to Google at start-up; the tests also
# assert that the app itself never asks another host for anything.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.browser
SAVED = 15_000  # ms to wait for a "Saved": autosave runs every few seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    home: Path
    env: dict[str, str]
    process: subprocess.Popen
    log: Path
    # Browsers let in through the one-time start link (or the passphrase); a restart lets them in again.
    admitted: list = field(default_factory=list)
    _link: str | None = None

    def cli(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([AFTERGLOW, *args], env=self.env, input=input, capture_output=True, text=True, timeout=60)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def start(self) -> None:
        port = int(urlsplit(self.url).port or 0)
        printed_before = self.log.stat().st_size if self.log.exists() else 0
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [AFTERGLOW, "serve", "--no-browser", "--port", str(port)], env=self.env, stdout=log, stderr=log
        )
        _wait_healthy(self.url, self.process, self.log)
        self._link = _start_link(self.log, printed_before)
        for context in self.admitted:
            self._open(context)

    def let_in(self, context) -> None:
        """Open the journal to this browser context, as its owner would after `afterglow serve`."""
        self.admitted.append(context)
        self._open(context)

    def _open(self, context) -> None:
        # The start link works once; any further browser types the passphrase, like a person would.
        link, self._link = self._link, None
        if link:
            response = context.request.get(link, max_redirects=0)
            assert response.status == 200, response.status
            return
        form = context.request.get(self.url + "unlock").text()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        typed = {"csrfmiddlewaretoken": token, "passphrase": PASSPHRASE}
        sent = context.request.post(self.url + "unlock", form=typed, max_redirects=0)
        assert sent.status == 302, sent.status


def _start_link(log: Path, offset: int) -> str | None:
    """The one-time link `serve` printed in this start (it starts unlocked from AFTERGLOW_PASSPHRASE)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with log.open("rb") as f:
            f.seek(offset)
            found = re.search(rb"(http://\S+/start/\S+)", f.read())
        if found:
            return found.group(1).decode()
        time.sleep(0.05)
    return None


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"afterglow serve exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("afterglow serve did not become healthy")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    home = tmp_path / "home"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AFTERGLOW_")},
        "AFTERGLOW_HOME": str(home),
        "AFTERGLOW_PASSPHRASE": PASSPHRASE,
        "AFTERGLOW_CRISIS_REGION": "US",
    }
    env = program_env(env)
    init = subprocess.run([AFTERGLOW, "init"], env=env, capture_output=True, text=True, timeout=60)
    assert init.returncode == 0, init.stderr
    port = _free_port()
    srv = Server(f"http://127.0.0.1:{port}/", home, env, None, tmp_path / "serve.log")  # type: ignore[arg-type]
    srv.start()
    yield srv
    srv.stop()


@dataclass
class Watch:
    """What a page did that it should not: other hosts contacted, CSP violations, JS errors."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"
        assert self.csp == [], f"CSP violations: {self.csp}"
        assert self.errors == [], f"page errors: {self.errors}"


# Package scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, and Django refuses database work under a running loop, so it must end with this package.
@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _watch(page, origin: str) -> Watch:
    watch = Watch(origin)

    def on_request(request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not url.startswith(origin):
            watch.foreign.append(url)

    def on_console(msg) -> None:
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            watch.csp.append(msg.text)

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    return watch


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 860})
    yield ctx
    ctx.close()


def _watched_page(context, server: Server):
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    pg.watch = _watch(pg, server.url.rstrip("/"))  # type: ignore[attr-defined]
    return pg


@pytest.fixture
def page(context, server):
    server.let_in(context)
    pg = _watched_page(context, server)
    yield pg
    pg.watch.assert_clean()  # type: ignore[attr-defined]


@pytest.fixture
def new_page(context, server):
    """Another tab in the same browser profile, watched like `page`: `new_page()`."""
    opened = []

    def open_tab():
        if context not in server.admitted:
            server.let_in(context)
        pg = _watched_page(context, server)
        opened.append(pg)
        return pg

    yield open_tab
    for pg in opened:
        pg.watch.assert_clean()


def local_today(server: Server) -> date:
    """Today where the server is: the day it counts day N and check-ins by."""
    zone = server.env.get("AFTERGLOW_TIME_ZONE") or server.env.get("TZ") or "UTC"
    return datetime.now(ZoneInfo(zone)).date()


def shot(page, name: str) -> None:
    """Keep a screenshot for people to look at (test-artifacts/, not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def saved_texts(server: Server) -> list[str]:
    """The text of every entry the journal holds, newest first, read by the CLI."""
    listing = server.cli("list", "--json")
    assert listing.returncode == 0, listing.stderr
    return [entry["text"] for entry in json.loads(listing.stdout)]
