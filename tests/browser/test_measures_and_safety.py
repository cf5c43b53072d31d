"""Measures and safety as a person meets them: a PHQ-9 on a phone, another country, a safety plan."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, shot

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
ITEM_9 = "Thoughts that you would be better off dead or of hurting yourself in some way"


def test_a_phq9_with_item_9_above_zero_shows_crisis_help_at_once_and_before_the_score(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    page.goto(server.url + "measures")
    page.get_by_role("link", name="Take the PHQ-9").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Depression (PHQ-9)")

    # One question a screen: each answer is saved and the next question comes up.
    for number in range(1, 9):
        item = page.locator(f"#item-{number}")
        expect(item).to_be_visible()
        expect(page.locator(f"#item-{number + 1}")).to_be_hidden()
        item.get_by_text("Several days" if number % 2 else "Not at all").click()
        expect(page.locator("#measure-count")).to_have_text(f"{number} of 9 answered")
    shot(page, "measures-phq9-phone-item9")

    # Item 9 above 0: help shows right there, before anything else happens.
    item9 = page.locator("#item-9")
    expect(item9).to_contain_text(ITEM_9)
    item9.get_by_text("Several days").click()
    panel = page.locator("#crisis-now")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="Call 988")).to_be_visible()
    shot(page, "measures-phq9-phone-crisis-inline")

    # Leaving half-way loses nothing: the answers come back.
    page.reload()
    expect(page.locator("#measure-count")).to_have_text("9 of 9 answered")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="See my result").click()

    # The very next page: crisis help first, then the score.
    expect(page).to_have_url(re.compile(r"/measures/r/\d+$"))
    crisis = page.get_by_role("region", name="Please reach out now")
    expect(crisis).to_be_visible()
    expect(crisis.get_by_role("link", name="Call 988")).to_be_visible()
    expect(crisis.get_by_role("link", name="Text 988")).to_be_visible()
    expect(crisis).to_contain_text("Contact your care team now")
    expect(crisis.get_by_role("link", name="Make a safety plan")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("PHQ-9: 5 out of 27 — Mild")
    top = "document.querySelector('{}').getBoundingClientRect().top"
    assert page.evaluate(f"{top.format('.crisis-panel')} < {top.format('h1')}")
    shot(page, "measures-phq9-phone-result")

    # The course view: a chart and the same numbers in a table.
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(server.url + "measures")
    expect(page.get_by_role("img", name=re.compile("PHQ-9 totals over time"))).to_be_visible()
    table = page.get_by_role("table", name="Your PHQ-9 results, newest first")
    expect(table.get_by_role("cell", name="5", exact=True)).to_be_visible()
    assert page.evaluate("document.querySelector('.measure-chart img').naturalWidth") > 0
    shot(page, "measures-overview-1280")


def test_switching_region_changes_the_numbers_on_every_page(page: Page, server: Server) -> None:
    page.goto(server.url + "help")
    expect(page.get_by_role("link", name="Call 988")).to_be_visible()
    page.goto(server.url + "settings/safety")
    page.get_by_label("Where are you?").select_option(label="United Kingdom")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Crisis numbers now show for United Kingdom")
    expect(page.locator(".site-footer")).to_contain_text("call 999")

    page.get_by_role("link", name="Get help now").first.click()
    expect(page.get_by_role("link", name="Call 116123")).to_be_visible()
    expect(page.get_by_role("link", name="Call 999")).to_be_visible()
    expect(page.get_by_role("link", name="Call 988")).to_have_count(0)
    shot(page, "help-gb-1280")

    # Somewhere else for a moment, without changing the setting.
    page.get_by_text("Somewhere else?").click()
    page.get_by_role("link", name="Australia").click()
    expect(page.get_by_role("link", name="Call 000")).to_be_visible()
    page.goto(server.url + "help")
    expect(page.get_by_role("link", name="Call 999")).to_be_visible()


def test_the_safety_plan_round_trips_and_is_one_tap_from_help(page: Page, server: Server) -> None:
    page.goto(server.url + "help")
    page.get_by_role("link", name="Make a safety plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My safety plan")
    page.get_by_label("Warning signs").fill("Not sleeping, skipping meals")
    page.get_by_label("Things I can do on my own").fill("Walk the dog round the lake")
    page.get_by_label("People I can ask for help").fill("Ana — 555 0102")
    page.get_by_label("My reasons for living").fill("My niece\nThe garden in May")
    expect(page.locator("#plan-status")).to_contain_text("Saved")  # saved as typed, before any button
    page.get_by_role("button", name="Save my safety plan").click()
    expect(page.locator(".messages")).to_contain_text("Your safety plan is saved")
    shot(page, "safety-plan-1280")

    page.reload()
    expect(page.get_by_label("My reasons for living")).to_have_value("My niece\nThe garden in May")
    page.get_by_role("link", name="Printable version").click()
    expect(page.get_by_text("Walk the dog round the lake")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text("Ana — 555 0102")).to_be_visible()
    page.emulate_media(media="screen")
    shot(page, "safety-plan-print-1280")

    # One tap from help while unlocked; locked, help still works and shows no plan.
    page.get_by_role("link", name="Get help now").first.click()
    page.get_by_role("link", name="Open my safety plan").click()
    expect(page.get_by_label("Warning signs")).to_have_value("Not sleeping, skipping meals")
    page.get_by_role("button", name="Lock").click()
    page.goto(server.url + "help")
    expect(page.get_by_role("link", name="Call 988")).to_be_visible()
    expect(page.get_by_role("link", name="Open my safety plan")).to_have_count(0)
