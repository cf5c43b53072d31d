"""The journal locks while someone is writing: the words wait in the browser and are saved after unlock."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSPHRASE, SAVED, Server, saved_texts, shot

pytestmark = pytest.mark.browser


def test_a_draft_typed_while_the_journal_locks_is_saved_after_unlock(page: Page, new_page, server: Server) -> None:
    first = "Before the lock: the room was warm. "
    more = "After the lock: and I kept writing anyway."
    page.goto(server.url + "write")
    box = page.get_by_label("Your entry")
    box.press_sequentially(first)
    status = page.locator("#save-status")
    expect(status).to_contain_text("Saved", timeout=SAVED)

    # The last words have not reached the journal (the connection drops them) when someone locks
    # the journal from another tab: this page covers itself at once, without a click.
    page.route("**/write/autosave", lambda route: route.abort())
    box.press_sequentially(more)
    expect(status).to_contain_text("kept on this device", timeout=SAVED)
    other = new_page()
    other.goto(server.url + "timeline")
    other.get_by_role("button", name="Lock").click()
    expect(other).to_have_url(re.compile(r"/unlock"))
    expect(page.locator("#lock-cover")).to_be_visible(timeout=3_000)
    expect(box).to_be_hidden()
    expect(page.get_by_text(first.strip())).to_be_hidden()
    shot(page, "write-locked-1280")
    page.unroute("**/write/autosave")
    assert saved_texts(server) == [first]  # the CLI still opens it; the web journal is locked

    # The cover leads to unlock, and back to the writing page with every word.
    page.locator("#lock-cover").get_by_role("link", name="Unlock").click()
    expect(page).to_have_url(re.compile(r"/unlock\?next=%2Fwrite$"))
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page).to_have_url(re.compile(r"/write$"))
    expect(page.locator("#entry-text")).to_have_value(first + more)
    expect(status).to_contain_text("Saved", timeout=SAVED)
    assert saved_texts(server) == [first + more]


def test_a_covered_page_comes_back_as_it_was_when_another_tab_unlocks(page: Page, new_page, server: Server) -> None:
    text = "Half a thought, still on the screen."
    page.goto(server.url + "write")
    page.get_by_label("Your entry").fill(text)
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=SAVED)
    page.evaluate("window.stillTheSamePage = true")

    other = new_page()
    other.goto(server.url + "timeline")
    other.get_by_role("button", name="Lock").click()
    expect(page.locator("#lock-cover")).to_be_visible(timeout=3_000)
    expect(page.locator("#main")).to_be_hidden()

    other.get_by_label("Passphrase").fill(PASSPHRASE)
    other.get_by_role("button", name="Unlock").click()
    expect(other.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#main")).to_be_visible(timeout=3_000)
    expect(page.locator("#lock-cover")).to_be_hidden()
    expect(page.locator("#entry-text")).to_have_value(text)
    assert page.evaluate("window.stillTheSamePage") is True  # no reload, nothing lost


def test_a_page_nobody_touches_covers_itself_when_the_idle_lock_falls_due(page: Page, server: Server) -> None:
    server.stop()
    server.env["AFTERGLOW_IDLE_MINUTES"] = "1"
    server.start()
    page.goto(server.url + "timeline")
    expect(page.locator("#main")).to_be_visible()
    # No click, no key: the page learns of the lock by itself (idle timer, then the status check).
    expect(page.locator("#lock-cover")).to_be_visible(timeout=100_000)
    expect(page.locator("#main")).to_be_hidden()


def test_a_page_left_open_while_locked_saves_by_itself_once_unlocked(page: Page, new_page, server: Server) -> None:
    text = "Typed while the journal was locked, in a tab I never touched again."
    page.goto(server.url + "write")
    token = page.locator("#write-form input[name=csrfmiddlewaretoken]").input_value()
    locked = page.request.post(server.url + "lock", form={"csrfmiddlewaretoken": token}, max_redirects=0)
    assert locked.status == 302
    page.get_by_label("Your entry").fill(text)
    expect(page.locator("#save-status")).to_contain_text("locked", timeout=SAVED)

    other = new_page()
    other.goto(server.url)
    expect(other).to_have_url(re.compile(r"/unlock"))
    other.get_by_label("Passphrase").fill(PASSPHRASE)
    other.get_by_role("button", name="Unlock").click()
    expect(other.get_by_role("heading", level=1)).to_be_visible()

    # The writing tab keeps trying and gets through on its own.
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=SAVED)
    assert saved_texts(server) == [text]
