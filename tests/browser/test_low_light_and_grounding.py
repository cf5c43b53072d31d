"""Low light (dark theme, its charts, axe in dark) and the grounding page with and without JavaScript."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, shot
from tests.browser.test_accessibility import PHONE, overflow, seed, serious_violations

pytestmark = pytest.mark.browser

DARK_BG = "rgb(21, 23, 28)"


def background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.documentElement).backgroundColor")


def chart_corner(page: Page) -> list[int]:
    """The colour of a chart's top-left pixel (its background), read through a canvas."""
    return page.evaluate(
        """async () => {
          const img = document.querySelector('.review-chart img');
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
          const g = canvas.getContext('2d');
          g.drawImage(img, 0, 0);
          return Array.from(g.getImageData(3, 3, 1, 1).data);
        }"""
    )


def test_every_main_page_passes_axe_in_the_dark_and_charts_follow(page: Page, server: Server) -> None:
    paths = seed(server, page)
    page.emulate_media(color_scheme="dark")
    found: dict[str, list[str]] = {}
    for name, path in {**paths, "settings": "settings", "grounding": "help/grounding", "phones": "settings/phones"}.items():
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200, f"{name}: {response and response.status}"
        assert background(page) == DARK_BG, name
        found[name] = serious_violations(page)
        shot(page, f"dark-{name}-1280")
    assert {name: v for name, v in found.items() if v} == {}
    page.goto(server.url + "course/review")
    assert max(chart_corner(page)[:3]) < 60  # the chart's own background went dark too
    # The report preview pictures the paper PDF: it stays light, readable, on the dark page.
    page.goto(server.url + "report")
    page.get_by_role("button", name="Preview the report").click()
    paper = page.locator(".report-paper")
    assert paper.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"
    assert serious_violations(page) == []
    shot(page, "dark-report-preview-1280")
    page.get_by_role("button", name="Lock").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your journal is locked")
    assert background(page) == DARK_BG and serious_violations(page) == []
    shot(page, "dark-unlock-1280")


def test_dark_chosen_in_settings_wins_over_a_light_system(page: Page, server: Server) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(server.url + "settings")
    assert background(page) != DARK_BG
    assert serious_violations(page) == []  # the new page, in the light look too
    page.get_by_label("Dark (low light)").check()
    page.get_by_label("Larger").check()
    page.get_by_role("button", name="Save the look").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    assert background(page) == DARK_BG
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    assert serious_violations(page) == []
    shot(page, "dark-settings-chosen-1280")
    page.emulate_media(media="print")  # paper stays light whatever the screen shows
    assert background(page) != DARK_BG


def test_the_breathing_guide_works_without_javascript(browser, server: Server) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server.url + "help/grounding")
    expect(page.get_by_text("count to four")).to_be_visible()
    expect(page.get_by_text("Five things you can see", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Start")).to_have_count(0)  # controls stay hidden with no script to run them
    shot(page, "grounding-no-js-390")
    context.close()


def test_the_breathing_guide_paces_with_javascript_and_keeps_still_for_reduced_motion(page: Page, server: Server) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(server.url + "help/grounding")
    assert serious_violations(page) == []
    circle = page.locator(".pacer-circle")
    assert circle.evaluate("el => getComputedStyle(el).animationName") == "none"
    page.get_by_role("button", name="Start").click()
    cue = page.locator("[data-pacer-cue]")
    expect(cue).to_have_text("Breathe in")
    expect(cue).to_have_text("Breathe out", timeout=6000)
    page.get_by_role("button", name="Pause").click()
    expect(cue).to_contain_text("Paused")
    page.emulate_media(reduced_motion="no-preference")
    assert circle.evaluate("el => getComputedStyle(el).animationName") == "pacer-breathe"
    page.goto(server.url + "help")
    page.get_by_role("link", name=re.compile("Breathe slowly")).click()
    expect(page).to_have_url(re.compile(r"/help/grounding$"))


SHOWN = """
window.__shown = [];
window.__asked = 0;
if (window.Notification) {
  const Real = window.Notification;
  window.Notification = class extends Real {
    constructor(title, options) { super(title, options); window.__shown.push(title); }
    static requestPermission() { window.__asked += 1; return Real.requestPermission(); }
  };
}
"""


def test_a_chosen_reminder_shows_as_a_notification_while_afterglow_is_open(context, page: Page, server: Server) -> None:
    # Far enough ahead that a slow, busy machine is still before it when the timeline asks what is due today.
    soon = datetime.now(UTC) + timedelta(minutes=5)
    if soon.date() != datetime.now(UTC).date():
        pytest.skip("the reminder would fall tomorrow")
    context.grant_permissions(["notifications"], origin=server.url.rstrip("/"))
    page.add_init_script(SHOWN)
    page.clock.install()
    page.goto(server.url + "settings")
    page.get_by_role("checkbox", name="Daily check-in").check()
    page.get_by_label("Time for daily check-in").fill(f"{soon:%H:%M}")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    assert page.evaluate("window.__asked") == 0  # never asked on its own, only on the button
    page.get_by_role("button", name="Show notifications in this browser").click()
    expect(page.locator("[data-notify-status]")).to_have_text("Notifications are on in this browser.")
    assert page.evaluate("window.__asked") == 1
    page.goto(server.url + "timeline")
    # Planned (its timer set) before the clock moves: a plan made after the jump would find the time passed.
    expect(page.locator("script[data-today-url]")).to_have_attribute("data-planned", "1")
    assert page.evaluate("window.__shown") == []
    page.clock.fast_forward("06:00")
    for _ in range(50):  # the notification is shown from a timer callback: give a busy browser a moment
        if page.evaluate("window.__shown"):
            break
        time.sleep(0.1)
    assert page.evaluate("window.__shown") == ["Afterglow: a few minutes for yourself"]


def test_the_largest_text_still_fits_a_phone(page: Page, server: Server) -> None:
    paths = seed(server, page)
    page.goto(server.url + "settings")
    page.get_by_label("Largest").check()
    page.get_by_role("button", name="Save the look").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    page.set_viewport_size(PHONE)
    wide: dict[str, int] = {}
    for name in ("home", "capture-step", "checkin", "write", "timeline", "calendar", "measure-take", "help", "safety-plan"):
        page.goto(server.url + paths[name])
        wide[name] = overflow(page)
        shot(page, f"largest-{name}-375")
    for path in ("settings", "help/grounding"):
        page.goto(server.url + path)
        wide[path] = overflow(page)
        shot(page, f"largest-{path.replace('/', '-')}-375")
    assert {name: px for name, px in wide.items() if px > 1} == {}
