"""Deleting an entry and bringing it back from the Trash, on a phone, with its photo link and words intact."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, saved_texts, shot
from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_an_entry_deleted_on_a_phone_waits_in_the_trash_and_comes_back(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    done = server.cli("write", "a heron on the far bank, very still")
    assert done.returncode == 0, done.stderr
    page.goto(server.url + "timeline")
    page.get_by_role("link", name=re.compile("^Open")).first.click()
    entry_url = page.url

    page.get_by_role("link", name="Delete", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move this to the Trash?")
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 1
    page.get_by_role("button", name="Move to the Trash").click()

    expect(page).to_have_url(re.compile(r"/trash$"))
    expect(page.get_by_text(re.compile("a heron on the far bank")).first).to_be_visible()
    expect(page.get_by_text(re.compile("older backups"))).to_be_visible()
    assert saved_texts(server) == []
    assert serious_violations(page) == []
    shot(page, "trash-phone")

    page.get_by_role("button", name="Restore").click()
    expect(page).to_have_url(entry_url)
    expect(page.locator(".entry-text")).to_contain_text("a heron on the far bank, very still")
    assert saved_texts(server) == ["a heron on the far bank, very still"]
    page.goto(server.url + "trash")
    expect(page.get_by_text("The Trash is empty.")).to_be_visible()
