"""What is typed on the writing page is not lost: not to a closed tab, not to a killed server."""

from __future__ import annotations

import signal

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SAVED, Server, saved_texts, shot

pytestmark = pytest.mark.browser


def local_drafts(page: Page) -> list[str]:
    return page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('afterglow:draft:') && !k.endsWith('probe'))"
        ".map(k => JSON.parse(localStorage.getItem(k)).text)"
    )


def test_it_brings_back_text_from_a_tab_closed_before_it_was_saved(page: Page, new_page, server: Server) -> None:
    text = "I closed the tab by accident, but this should still be here."
    page.goto(server.url + "write")
    page.get_by_label("Your entry").fill(text)
    # Closed at once, before the next autosave: the words are in this browser, and at most in a
    # last-moment beacon whose answer nobody reads.
    expect(page.locator("#save-status")).to_have_text("Not saved yet")
    assert text in local_drafts(page)
    page.close()

    again = new_page()
    again.goto(server.url + "write")
    expect(again.locator("#entry-text")).to_have_value(text)
    expect(again.locator("#save-status")).to_contain_text("Saved", timeout=SAVED)
    shot(again, "write-brought-back-1280")
    assert saved_texts(server) == [text]  # once, however it got there
    assert local_drafts(again) == []


def test_it_keeps_writing_through_a_killed_server_and_saves_it_after_restart(page: Page, new_page, server: Server) -> None:
    first = "Morning pages, day two. "
    more = "The server fell over while I was typing this part."
    page.goto(server.url + "write")
    box = page.get_by_label("Your entry")
    box.press_sequentially(first)
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=SAVED)
    assert saved_texts(server) == [first]

    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)
    box.press_sequentially(more)
    expect(page.locator("#save-status")).to_contain_text("kept on this device", timeout=SAVED)
    page.close()

    server.start()
    again = new_page()
    again.goto(server.url + "write")
    expect(again.locator("#entry-text")).to_have_value(first + more)
    expect(again.locator("#save-status")).to_contain_text("Saved", timeout=SAVED)
    assert saved_texts(server) == [first + more]  # one entry, brought up to date: not a second copy
