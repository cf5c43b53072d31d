"""On a phone: several check-ins in one day, readings around a session, and the month calendar
(seven columns that fit, large targets, reachable by keyboard, axe clean)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, local_today, shot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
_axe = Axe()


def axe_violations(page: Page) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in _axe.run(page).response["violations"]]


def cli(server: Server, *args: str) -> str:
    done = server.cli(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def check_in(page: Page, server: Server, mood: str, pain: str) -> None:
    page.goto(server.url + "checkin")
    page.locator("label").filter(has=page.locator('input[name="mood"]')).get_by_text(mood, exact=True).click()
    page.locator("label").filter(has=page.locator('input[name="pain"]')).get_by_text(pain, exact=True).click()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Check-in for today at")


def test_a_day_of_several_check_ins_and_a_session_on_the_calendar(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    today = local_today(server)
    yesterday = today - timedelta(days=1)
    cli(
        server, "session", "add", "--date", yesterday.isoformat(), "--time", "10:00", "--bp-before", "128/84", "--hr-before", "72"
    )
    cli(server, "checkin", "--mood", "4", "--date", yesterday.isoformat(), "--time", "08:00", "--note", "Nervous before")
    cli(
        server,
        "checkin",
        "--mood",
        "7",
        "--pain",
        "3",
        "--date",
        yesterday.isoformat(),
        "--time",
        "14:00",
        "--note",
        "Light after",
    )
    cli(server, "write", "--session", "1", "Warm colours, and a long quiet.")

    # Two check-ins today from the phone: both are kept.
    check_in(page, server, "6", "2")
    check_in(page, server, "8", "0")
    page.goto(server.url + "checkin")
    recent = page.get_by_role("heading", name="Recent check-ins").locator("xpath=following-sibling::ul[1]")
    expect(recent.get_by_role("listitem")).to_have_count(4)
    shot(page, "calendar-01-checkin-phone")
    assert axe_violations(page) == []

    # Readings on the session page.
    page.goto(server.url + "course")
    page.get_by_role("link", name=re.compile("Session 1")).first.click()
    readings = page.get_by_role("region", name="Blood pressure and heart rate")
    expect(readings.get_by_role("row", name=re.compile("Before the dose"))).to_contain_text("128/84")
    readings.get_by_text("Change the readings").click()
    leaving = readings.get_by_role("group", name="Before leaving")
    leaving.get_by_label("Blood pressure, top number (systolic, mmHg)").fill("300")
    leaving.get_by_label("Blood pressure, bottom number (diastolic, mmHg)").fill("88")
    readings.get_by_role("button", name="Save readings").click()
    expect(page.get_by_role("alert")).to_contain_text("looks like a typing slip")
    shot(page, "calendar-02a-readings-slip-phone")
    leaving = page.get_by_role("group", name="Before leaving")
    expect(leaving.get_by_label("Blood pressure, bottom number (diastolic, mmHg)")).to_have_value("88")
    leaving.get_by_label("Blood pressure, top number (systolic, mmHg)").fill("136")
    leaving.get_by_label("Heart rate (beats a minute)").fill("80")
    page.get_by_role("button", name="Save readings").click()
    expect(page.get_by_role("status")).to_contain_text("Readings saved.")
    row = page.get_by_role("row", name=re.compile("Before leaving"))
    expect(row).to_contain_text("136/88")
    expect(row).to_contain_text("80")
    shot(page, "calendar-02-session-readings-phone")
    assert axe_violations(page) == []

    # The calendar, from the navigation (under Menu on a phone).
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("table", name=today.strftime("%B %Y"))).to_be_visible()
    if yesterday.month != today.month:
        page.get_by_role("link", name=re.compile(yesterday.strftime("%B"))).click()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_count(7)
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 1
    day_link = table.get_by_role("link", name=re.compile(rf"^{yesterday.day} {yesterday:%B}, session 1, mood 5.5 out of 10"))
    expect(day_link).to_contain_text("S1")
    expect(day_link).to_contain_text("5.5")
    for link in table.get_by_role("link").all():
        box = link.bounding_box()
        assert box is not None and box["width"] >= 44 and box["height"] >= 44, box
    shot(page, "calendar-03-month-phone")
    assert axe_violations(page) == []

    # By keyboard: focus the day and press Enter.
    day_link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(yesterday.strftime("%A %-d %B %Y"))
    items = page.locator(".items > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Nervous before")
    expect(items.nth(0)).to_contain_text("08:00")
    expect(items.nth(1)).to_contain_text("Light after")
    expect(items.nth(1)).to_contain_text("Pain")
    expect(page.get_by_role("link", name="Session 1")).to_be_visible()
    shot(page, "calendar-04-day-phone")
    assert axe_violations(page) == []

    # Today: two check-ins from the phone (mean 7) and the writing.
    page.get_by_role("link", name=re.compile(today.strftime("%a %-d %b"))).click()
    expect(page.locator(".items > li")).to_have_count(3)
    page.goto(server.url + "calendar")
    today_link = page.get_by_role("table").get_by_role(
        "link", name=re.compile(rf"^{today.day} {today:%B}, today, mood 7 out of 10")
    )
    expect(today_link).to_have_attribute("aria-current", "date")
    expect(today_link).to_contain_text("7")
    expect(today_link.locator(".cal-dot")).to_have_count(1)
