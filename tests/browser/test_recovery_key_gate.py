"""A newcomer on a phone cannot skip keeping the recovery key, and a restart does not lose that step."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import AFTERGLOW, PASSPHRASE, Server, _free_port, shot
from tests.settings_test import program_env

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
_axe = Axe()


def serious_violations(page: Page) -> list[str]:
    found = _axe.run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v["impact"] in {"serious", "critical"}]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`afterglow serve` on an empty data folder: the journal is made in the browser."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AFTERGLOW_")}
    env = program_env({**env, "AFTERGLOW_HOME": str(tmp_path / "home"), "AFTERGLOW_CRISIS_REGION": "US"})
    srv = Server(f"http://127.0.0.1:{_free_port()}/", tmp_path / "home", env, None, tmp_path / "serve.log")  # type: ignore[arg-type]
    srv.start()
    yield srv
    srv.stop()


def set_up(page: Page, server: Server) -> list[str]:
    page.goto(server.url)
    expect(page).to_have_url(re.compile(r"/setup$"))
    page.get_by_label("Passphrase", exact=True).fill(PASSPHRASE)
    page.get_by_label("The same passphrase again").fill(PASSPHRASE)
    page.get_by_role("button", name=re.compile("Create|Set up|Start", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery key")
    return page.locator(".recovery-key span").all_inner_texts()


def test_the_header_link_does_not_skip_the_recovery_key_on_a_phone(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    groups = set_up(page, server)
    assert len(groups) == 8
    shot(page, "recovery-gate-phone-key")

    # The header's "Afterglow" link, and a typed address, both come back to the key.
    page.get_by_role("link", name="Afterglow", exact=True).click()
    expect(page).to_have_url(re.compile(r"/recovery-key$"))
    expect(page.locator(".recovery-key span")).to_have_text(groups)
    assert serious_violations(page) == []
    page.goto(server.url + "timeline")
    expect(page).to_have_url(re.compile(r"/recovery-key$"))

    # Help is always one tap away, even here.
    page.get_by_role("link", name=re.compile("help", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/help"))
    page.go_back()

    # Continuing without the box ticked goes nowhere, and keeps the same key on screen.
    page.get_by_role("button", name="Continue to my journal").click()
    expect(page).to_have_url(re.compile(r"/recovery-key$"))
    expect(page.locator(".recovery-key span")).to_have_text(groups)
    page.get_by_label(re.compile("I have written down")).check()
    page.get_by_role("button", name="Continue to my journal").click()
    expect(page).not_to_have_url(re.compile(r"/recovery-key|/setup"))
    shot(page, "recovery-gate-phone-after")

    # The Settings pages that replace the key or re-key the journal read well on a phone too.
    for path in ("privacy", "privacy/recovery-key", "privacy/rekey"):
        page.goto(server.url + path)
        assert serious_violations(page) == [], path
    shot(page, "recovery-gate-phone-rekey-form")

    # It stays done after Afterglow restarts.
    server.stop()
    server.admitted.clear()  # after a restart this browser types the passphrase itself, as a person would
    server.start()
    page.goto(server.url + "timeline")
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page).to_have_url(re.compile(r"/timeline$"))


def test_a_restart_before_the_key_was_kept_offers_a_new_key(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    groups = set_up(page, server)
    server.stop()
    server.admitted.clear()  # after a restart this browser types the passphrase itself, as a person would
    server.start()
    page.goto(server.url)
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page).to_have_url(re.compile(r"/recovery-key$"))
    shot(page, "recovery-gate-phone-missing")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Show me a new recovery key").click()
    fresh = page.locator(".recovery-key span").all_inner_texts()
    assert len(fresh) == 8 and fresh != groups
    page.get_by_label(re.compile("I have written down")).check()
    page.get_by_role("button", name="Continue to my journal").click()
    expect(page).not_to_have_url(re.compile(r"/recovery-key"))
    # The key shown before the restart opens nothing any more.
    env = {**server.env, "AFTERGLOW_RECOVERY_KEY": "-".join(groups), "AFTERGLOW_NEW_PASSPHRASE": "never used words"}
    old = subprocess.run([AFTERGLOW, "recover"], env=env, capture_output=True, text=True, timeout=60)
    assert old.returncode == 2 and "does not match" in old.stderr


def test_a_new_encryption_key_from_settings_keeps_the_journal_open_and_readable(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    set_up(page, server)
    page.get_by_label(re.compile("I have written down")).check()
    page.get_by_role("button", name="Continue to my journal").click()
    cli = {**server.env, "AFTERGLOW_PASSPHRASE": PASSPHRASE}
    wrote = subprocess.run([AFTERGLOW, "write"], env=cli, input="Written before the new key.", capture_output=True, text=True)
    assert wrote.returncode == 0, wrote.stderr

    page.goto(server.url + "privacy")
    page.get_by_role("link", name="New encryption key").click()
    page.get_by_label("Current passphrase").fill(PASSPHRASE)
    page.get_by_label("New passphrase", exact=True).fill("a brand new set of words")
    page.get_by_label("The new passphrase again").fill("a brand new set of words")
    page.get_by_role("button", name="Re-encrypt with a new key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery key")
    page.get_by_label(re.compile("I have written down")).check()
    page.get_by_role("button", name="Continue to my journal").click()
    page.goto(server.url + "timeline")
    expect(page.get_by_text("Written before the new key.")).to_be_visible()

    # The running server would answer the command line over its socket without any passphrase:
    # ask the journal file itself whether the old passphrase still opens it.
    cli["AFTERGLOW_CLI_SOCKET"] = "0"
    assert subprocess.run([AFTERGLOW, "list"], env=cli, capture_output=True).returncode == 2
    cli["AFTERGLOW_PASSPHRASE"] = "a brand new set of words"
    listed = subprocess.run([AFTERGLOW, "list"], env=cli, capture_output=True, text=True)
    assert "Written before the new key." in listed.stdout
