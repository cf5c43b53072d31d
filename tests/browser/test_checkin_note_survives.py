"""On a phone: a check-in note typed and never saved is there again on the next visit,
in this browser and in another one, and it becomes a check-in only when the person saves it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, shot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NOTE = "Jaw tight in the afternoon; ate little, called my sister."


def test_a_check_in_note_left_unsaved_comes_back_from_the_server(page: Page, server: Server, browser, new_page) -> None:
    page.set_viewport_size(PHONE)
    page.goto(server.url + "checkin")
    page.locator("label").filter(has=page.locator('input[name="mood"]')).get_by_text("5", exact=True).click()
    page.get_by_label("Body and behaviour").fill(NOTE)
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft kept", timeout=10_000)
    page.close()  # never pressed Save

    # The same phone, the next visit.
    again = new_page()
    again.set_viewport_size(PHONE)
    again.goto(server.url + "checkin")
    expect(again.get_by_label("Body and behaviour")).to_have_value(NOTE)
    expect(again.locator('input[name="mood"][value="5"]')).to_be_checked()
    expect(again.get_by_text("the check-in you started earlier")).to_be_visible()
    shot(again, "checkin-draft-01-back-phone")

    # Another browser, with nothing kept locally, finds it too.
    other = browser.new_context(viewport=PHONE)
    try:
        server.let_in(other)
        elsewhere = other.new_page()
        elsewhere.goto(server.url + "checkin")
        expect(elsewhere.get_by_label("Body and behaviour")).to_have_value(NOTE)
        assert elsewhere.evaluate("Object.keys(localStorage).filter(k => k.indexOf('afterglow:form') === 0).length") == 0
    finally:
        other.close()

    # Saving makes the one check-in and ends the draft.
    again.get_by_role("button", name="Save check-in").click()
    expect(again.get_by_role("status")).to_contain_text("Check-in for today at")
    again.goto(server.url + "checkin")
    expect(again.get_by_label("Body and behaviour")).to_have_value("")
    recent = again.get_by_role("heading", name="Recent check-ins").locator("xpath=following-sibling::ul[1]")
    expect(recent.get_by_role("listitem")).to_have_count(1)
