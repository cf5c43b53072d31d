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

    # Someone locks the journal from another tab (as the idle timer would).
    other = new_page()
    other.goto(server.url + "timeline")
    other.get_by_role("button", name="Lock").click()
    expect(other).to_have_url(re.compile(r"/unlock"))

    box.press_sequentially(more)
    expect(status).to_contain_text("locked", timeout=SAVED)
    shot(page, "write-locked-1280")
    assert saved_texts(server) == [first]  # the CLI still opens it; the web journal is locked

    # Pressing Save now leads to unlock (no bare "locked" page), and back to the writing page with every word.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(r"/unlock\?next=%2Fwrite$"))
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page).to_have_url(re.compile(r"/write$"))
    expect(page.locator("#entry-text")).to_have_value(first + more)
    expect(status).to_contain_text("Saved", timeout=SAVED)
    assert saved_texts(server) == [first + more]


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
