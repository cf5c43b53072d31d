"""On a phone: sessions numbered by date however they were added; side-effect advice only for warning signs;
the welcome button on the first screen; clean headings and landmarks; a journal being created says so."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, Server, _free_port, _watched_page, local_today, shot
from tests.settings_test import program_env

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
_axe = Axe()


def screen_shot(page: Page, name: str) -> None:
    """What the phone's screen shows right now (not the whole page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def add_session(page: Page, server: Server, day: str, time: str) -> str:
    page.goto(server.url + "sessions/new")
    page.get_by_label("Date").fill(day)
    page.get_by_label("Time").fill(time)
    page.get_by_role("button", name="Add the session").click()
    return page.url


def test_an_earlier_session_added_second_is_session_1_everywhere_and_links_hold(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    today = local_today(server)
    page.goto(server.url + "course")
    page.get_by_label("When did (or will) the course start?").fill((today - timedelta(days=10)).isoformat())
    page.get_by_label("6-infusion programme").check()
    page.get_by_role("button", name="Save the course").click()

    todays = add_session(page, server, today.isoformat(), "00:00")
    expect(page.get_by_role("heading", level=1)).to_have_text("Session 1")
    earlier = add_session(page, server, (today - timedelta(days=5)).isoformat(), "10:00")
    expect(page.get_by_role("status")).to_contain_text("Session 1 saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Session 1")
    shot(page, "order-01-earlier-session-is-1")

    # The first link still opens the same session, now second by date.
    page.goto(todays)
    expect(page.get_by_role("heading", level=1)).to_have_text("Session 2")

    page.goto(server.url + "course")
    numbers = page.locator(".session-number").all_inner_texts()
    assert numbers == ["1", "2"]
    page.get_by_role("link", name=re.compile("Session 1")).first.click()
    assert page.url == earlier
    shot(page, "order-02-course")

    page.goto(server.url + "timeline")
    first_link = page.get_by_role("link", name="Session 1", exact=True)
    expect(first_link).to_have_attribute("href", earlier.removeprefix(server.url[:-1]))
    shot(page, "order-03-timeline")

    # The first session's prompts go to the earlier session.
    page.goto(earlier + "/reflect")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflect on session 1")
    expect(page.get_by_text("The first session is a beginning").first).to_be_visible()
    shot(page, "order-04-reflect-session-1")

    # And the CLI's --session 1 is the same session.
    done = server.cli("write", "--session", "1", "Written about the first one")
    assert done.returncode == 0, done.stderr
    page.goto(earlier)
    expect(page.get_by_text("Written about the first one")).to_be_visible()


def test_strong_pleasant_and_expected_effects_never_bring_emergency_advice(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    done = server.cli("session", "add", "--date", local_today(server).isoformat(), "--time", "00:00")
    assert done.returncode == 0, done.stderr
    page.goto(server.url + "course")
    page.get_by_role("link", name=re.compile("Session 1")).first.click()
    page.goto(page.url.rstrip("/") + "/capture/more")
    while page.get_by_role("heading", level=1).inner_text() != "How is your body?":
        page.get_by_role("button", name="Skip").click()

    def tap_up_to(label: str, word: str) -> None:
        # A chip: each tap makes it stronger (mild, moderate, strong).
        while not page.get_by_role("button", name=f"{label}, {word}").count():
            page.get_by_role("button", name=re.compile(f"^{re.escape(label)}")).first.click()
            page.wait_for_timeout(150)
        expect(page.get_by_role("button", name=f"{label}, {word}")).to_be_visible()

    tap_up_to("Relaxation", "strong")
    tap_up_to("Tingling", "strong")
    expect(page.locator("#capture-status")).to_contain_text("Saved", timeout=15_000)
    advice = page.locator("[data-advice]")
    expect(advice).to_contain_text("Tingling:")
    expect(advice).to_contain_text("leave driving until tomorrow")
    expect(advice).not_to_contain_text("Relaxation")
    expect(advice).not_to_contain_text("emergency")
    screen_shot(page, "effects-01-strong-tingling")

    tap_up_to("Chest pain or pressure", "mild")
    warning = "Contact your clinic now, and if it is severe, call your emergency number (911)."
    expect(advice).to_contain_text(warning)
    screen_shot(page, "effects-02-chest-pain-mild")

    page.get_by_role("button", name="Next").click()
    messages = page.locator(".messages, [role=status]").all_inner_texts()
    assert any("Chest pain or pressure: This can be a warning sign" in m for m in messages), messages
    assert not any("Relaxation" in m for m in messages), messages
    page.goto(page.url.rsplit("/", 1)[0] + "/summary")
    expect(page.get_by_text(re.compile("^Tingling: Common after a dose"))).to_be_visible()
    expect(page.get_by_text(re.compile("^Chest pain or pressure: This can be a warning sign"))).to_be_visible()
    expect(page.get_by_text(re.compile("Relaxation: .*clinic"))).to_have_count(0)
    shot(page, "effects-03-summary")


def test_the_welcome_button_is_on_a_phones_first_screen(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    page.goto(server.url)
    button = page.get_by_role("link", name="Set up my course")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    screen_shot(page, "welcome-390x844")


def violations(page: Page, rules: set[str]) -> list[str]:
    found = _axe.run(page).response["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in found if v["id"] in rules]


def test_help_and_a_two_course_timeline_have_ordered_headings_and_unique_landmarks(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    today = local_today(server)
    for days in (40, 35):
        assert server.cli("session", "add", "--date", (today - timedelta(days=days)).isoformat()).returncode == 0
    page.goto(server.url + "course/new")
    page.get_by_label("When did (or will) the course start?").fill((today - timedelta(days=20)).isoformat())
    page.get_by_label("A name for this course").fill("Autumn boosters")
    page.get_by_role("button", name="Save the course").click()
    for days in (15, 10):
        assert server.cli("session", "add", "--date", (today - timedelta(days=days)).isoformat()).returncode == 0
    rules = {"heading-order", "landmark-unique"}
    page.goto(server.url + "timeline")
    expect(page.get_by_role("link", name="Session 2", exact=True)).to_have_count(2)
    timeline = violations(page, rules)
    page.goto(server.url + "help")
    assert (timeline, violations(page, rules)) == ([], [])


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[Server]:
    """`afterglow serve` with no journal yet: the first page is the setup form."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AFTERGLOW_", "DJANGO_"))}
    env = program_env({**env, "AFTERGLOW_HOME": str(tmp_path / "home"), "AFTERGLOW_CRISIS_REGION": "US"})
    srv = Server(f"http://127.0.0.1:{_free_port()}/", tmp_path / "home", env, None, tmp_path / "serve.log")  # type: ignore[arg-type]
    srv.start()
    yield srv
    srv.stop()


def test_creating_the_journal_says_what_is_happening(context, fresh_server: Server) -> None:
    page = _watched_page(context, fresh_server)
    page.set_viewport_size(PHONE)
    page.goto(fresh_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Afterglow")
    page.get_by_label("Passphrase", exact=True).fill("slow tide over warm sand")
    page.get_by_label("The same passphrase again").fill("slow tide over warm sand")
    # Hold the form back so the moment between the tap and the next page can be looked at.
    page.evaluate("document.querySelector('form[data-busy]').addEventListener('submit', e => e.preventDefault())")
    page.get_by_role("button", name="Create my journal").click()
    expect(page.locator("[data-busy-status]")).to_have_text("Creating your journal… This takes a few seconds.")
    expect(page.locator("form[data-busy] button[type=submit]")).to_have_text("Creating your journal…")
    shot(page, "setup-creating")
    page.watch.assert_clean()  # type: ignore[attr-defined]
