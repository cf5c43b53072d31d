"""Search from the header on a phone: results appear as you type, and one opens."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, shot
from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_typing_in_the_header_box_shows_results_as_you_go_and_one_opens(page: Page, server: Server) -> None:
    wrote = server.cli("write", "We walked to the lighthouse at dusk <b>and</b> said little")
    assert wrote.returncode == 0, wrote.stderr
    assert server.cli("write", "Nothing about the coast here").returncode == 0
    page.set_viewport_size(PHONE)
    page.goto(server.url)
    header = page.locator("header.site-header").bounding_box()
    page.evaluate("document.querySelector('.header-search').hidden = true")
    without = page.locator("header.site-header").bounding_box()
    page.evaluate("document.querySelector('.header-search').hidden = false")
    assert header and without and header["height"] <= without["height"] + 16, (header, without)  # no row of its own
    box = page.get_by_role("searchbox", name="Search your journal")
    box.press_sequentially("lightho", delay=40)
    results = page.locator("#header-results")
    expect(results.get_by_role("link")).to_have_count(2)  # the one entry, and "All results and filters"
    box.press_sequentially("use", delay=40)
    found = results.locator(".search-result a")
    expect(found).to_have_count(1)
    expect(found.locator("mark")).to_have_text("lighthouse")
    expect(found).to_contain_text("<b>and</b>")  # shown as text, never as markup
    assert page.url.rstrip("/") == server.url.rstrip("/")  # no page load: the results came as you typed
    assert serious_violations(page) == []
    shot(page, "search-header-phone")
    found.click()
    expect(page.locator(".entry-text")).to_contain_text("lighthouse at dusk")


def test_the_search_page_filters_as_you_change_them(page: Page, server: Server) -> None:
    assert server.cli("write", "The lighthouse keeper waved").returncode == 0
    page.set_viewport_size(PHONE)
    page.goto(server.url + "search?q=lighthouse")
    expect(page.locator("#search-results .search-result")).to_have_count(1)
    page.get_by_text("Filters").click()
    page.get_by_label("Kind").select_option("checkin")
    expect(page.locator("#search-results")).to_contain_text("Nothing you wrote matches")
