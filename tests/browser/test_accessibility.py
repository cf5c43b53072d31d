"""Every main page, as axe sees it on a laptop and as a phone shows it; and the locked journal's pages.

The `page` fixture also fails a test if any page asked another host for anything,
broke the Content Security Policy or threw a script error: so the walk through
every page here is also the "nothing leaves this machine" check.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSPHRASE, Server, local_today, shot
from tests.media.images import jpeg_with_gps
from tests.media.speech import speak

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
SERIOUS = {"serious", "critical"}
_axe = Axe()


def seed(server: Server, page: Page) -> dict[str, str]:
    """A journal with a bit of everything, and the address of each main page in it."""
    yesterday = local_today(server) - timedelta(days=1)
    for args in (
        ["session", "add", "--date", yesterday.isoformat(), "--time", "10:00", "--route", "iv",
         "--dose", "0.5 mg/kg over 40 min", "--intention", "To stay with whatever comes up."],
        ["write", "--session", "1", "Colours like a slow sunrise, and my grandmother's kitchen."],
        ["checkin", "--mood", "6", "--anxiety", "4", "--sleep", "7", "--energy", "5", "--note", "Tired, but lighter."],
        ["measure", "phq9", "--answers", "2,2,1,1,2,1,1,0,1"],
        ["measure", "pcl5", "--answers", "2,1,0,0,0,3,0,2,2,1,0,0,0,0,4,4,1,0,0,0"],
    ):  # fmt: skip
        done = server.cli(*args)
        assert done.returncode == 0, done.stderr
    # A voice note with its transcript, so its page shows the player beside the text.
    done = server.cli("voice", "add", str(speak(server.home.parent / "a11y.wav")), "--session", "1")
    assert done.returncode == 0, done.stderr
    photo = server.home.parent / "paper-page.jpg"
    photo.write_bytes(jpeg_with_gps(1200, 900))
    added = server.cli("image", "add", str(photo), "--session", "1", "--caption", "The page I wrote by hand")
    assert added.returncode == 0, added.stderr
    page.goto(server.url + "course")
    page.get_by_role("link", name=re.compile("Session 1")).click()
    session = page.url.removeprefix(server.url).rstrip("/")
    session_id = session.rsplit("/", 1)[-1]
    # A capture answer and an open action, so those pages show content, not only empty states.
    page.goto(f"{server.url}{session}/capture/1")
    page.get_by_label("What comes to mind first?").fill("Warm and far away.")
    page.get_by_role("button", name="Next").click()
    page.goto(server.url + "actions")
    page.get_by_label("What will you do?").fill("Ten minutes outside after lunch")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Added")
    return {
        "home": "",
        "course": "course",
        "session": session,
        "intention": f"{session}/intention",
        "capture-step": f"{session}/capture/5",
        "capture-summary": f"{session}/capture/summary",
        "reflect": f"{session}/reflect",
        "revisit": f"{session}/revisit",
        "write": "write",
        "checkin": "checkin",
        "actions": "actions",
        "timeline": "timeline",
        "calendar": "calendar",
        "calendar-day": f"calendar/{yesterday:%Y/%m/%d}",
        "review": "course/review",
        "prompts": "prompts",
        "voice-new": "voice/new",
        "voice-note": "voice/1",
        "draw": f"draw?session={session_id}",
        "photo-new": f"photos/new?session={session_id}",
        "picture": "pictures/1",
        "picture-delete": "pictures/1/delete",
        "help": "help",
        "privacy": "privacy",
        "measures": "measures",
        "measure-take": "measures/gad7/take",
        "measure-result": "measures/r/1",  # item 9 above 0: the crisis panel comes first
        "measure-pcl5": "measures/r/2",
        "safety-plan": "safety-plan",
        "safety-plan-print": "safety-plan/print",
        "safety-settings": "settings/safety",
    }


def serious_violations(page: Page) -> list[str]:
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def test_it_has_no_serious_accessibility_problem_on_any_main_page(page: Page, server: Server) -> None:
    found: dict[str, list[str]] = {}
    page.goto(server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Afterglow")
    found["welcome"] = serious_violations(page)
    shot(page, "page-welcome-1280")
    for name, path in seed(server, page).items():
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200, f"{name}: {response and response.status}"
        found[name] = serious_violations(page)
        shot(page, f"page-{name}-1280")
    assert {name: v for name, v in found.items() if v} == {}


def test_every_main_page_fits_a_phone_screen(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    page.goto(server.url)
    wide: dict[str, int] = {"welcome": overflow(page)}
    shot(page, "page-welcome-375")
    for name, path in seed(server, page).items():
        page.goto(server.url + path)
        wide[name] = overflow(page)
        shot(page, f"page-{name}-375")
    assert {name: px for name, px in wide.items() if px > 1} == {}


def test_a_locked_journal_shows_only_unlock_and_help_and_opens_where_you_were(page: Page, server: Server) -> None:
    seed(server, page)
    page.goto(server.url + "timeline")
    page.get_by_role("button", name="Lock").click()
    expect(page).to_have_url(re.compile(r"/unlock\?next=%2Ftimeline$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your journal is locked")
    assert serious_violations(page) == []
    shot(page, "page-unlock-1280")

    # Crisis help never waits for a passphrase.
    page.get_by_role("link", name="Get help now").first.click()
    expect(page).to_have_url(re.compile(r"/help$"))
    expect(page.get_by_text("988").first).to_be_visible()
    assert serious_violations(page) == []
    shot(page, "page-help-locked-1280")

    # Nothing of the journal shows while locked, whichever page is asked for.
    page.goto(server.url + "actions")
    expect(page).to_have_url(re.compile(r"/unlock\?next=%2Factions$"))
    expect(page.get_by_text("Ten minutes outside")).to_have_count(0)
    page.go_back()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/unlock\?next=%2Ftimeline$"))

    # Unlocking (after one slip) lands back on the page the Lock button was pressed on.
    page.set_viewport_size(PHONE)
    assert overflow(page) <= 1
    shot(page, "page-unlock-375")
    page.get_by_label("Passphrase").fill("not the right one")
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_role("alert")).to_be_visible()
    shot(page, "page-unlock-wrong-375")
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page).to_have_url(re.compile(r"/timeline$"))
    expect(page.get_by_text("Tired, but lighter.")).to_be_visible()
