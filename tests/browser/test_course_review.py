"""The course review and compare pages on a phone (390×844) and a laptop: every part shows, axe finds nothing serious,
charts load as images within the CSP, and nothing is wider than the screen."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, shot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 860}
_axe = Axe()

# One process seeds a whole course (a CLI call per check-in would take a minute): the same unlock as the CLI.
SEED = textwrap.dedent(
    """
    import os
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")
    import django
    django.setup()
    from datetime import timedelta
    from django.utils import timezone
    from afterglow.vault import session as vault
    vault.unlock_for_cli(migrate=False)
    from afterglow.access import local_patient
    from afterglow.journal.entries import create_entry
    from afterglow.journal.models import Capture, CheckIn, Course, Intention, IntegrationAction, Session
    me = local_patient()
    today = timezone.localdate()
    course = Course.objects.create(owner=me, start_date=today - timedelta(days=30))
    sessions = []
    for n, ago in enumerate((24, 17, 10)):
        when = timezone.localtime().replace(hour=10, minute=0) - timedelta(days=ago)
        s = Session.objects.create(owner=me, course=course, started_at=when, route="iv")
        sessions.append(s)
        Intention.objects.create(owner=me, session=s, text=f"To meet what comes, time {n + 1}", fit=2)
        IntegrationAction.objects.create(owner=me, session=s, what=f"A walk by the river, week {n + 1}")
    Capture.objects.create(owner=me, session=sessions[0], first_impression="Warm and far away",
                           saw_colours="deep violet", heard="rain", emotions=["awe", "calm"],
                           sensations={"nausea": 2, "headache": 1}, dissociation=2, slept=False)
    Capture.objects.create(owner=me, session=sessions[1], first_impression="Quieter this time",
                           saw_colours="deep violet, gold", emotions=["grief"], sensations={"nausea": 1}, dissociation=1)
    for ago in range(28):
        CheckIn.objects.create(owner=me, day=today - timedelta(days=ago), mood=4 + (ago % 7 < 4) * 3,
                               anxiety=5 - (ago % 3), sleep_hours=7, energy=5)
    for n in range(5):
        create_entry(me, f"The lighthouse keeper was there again ({n}). I felt calm by the sea.", session=sessions[n % 3])
    """
)


def seed(server: Server) -> None:
    done = subprocess.run([sys.executable, "-c", SEED], env=server.env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def serious(page: Page) -> list[str]:
    results = _axe.run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]


def images_loaded(page: Page) -> None:
    # The review's own charts (SVG through <picture>) must have drawn, not shown a broken image.
    for img in page.locator(".review-chart img").all():
        img.scroll_into_view_if_needed()
        expect(img).to_have_js_property("complete", True)
        assert img.evaluate("i => i.naturalWidth") > 0


def overflow(page: Page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("laptop", LAPTOP)])
def test_review_and_compare_read_well_on_a_phone_and_a_laptop(page: Page, server: Server, name: str, viewport) -> None:
    seed(server)
    page.set_viewport_size(viewport)
    page.goto(server.url + "course/review")
    expect(page.get_by_role("heading", level=1)).to_have_text("Course review")
    expect(page.get_by_role("heading", name="Mood over the course")).to_be_visible()
    expect(page.locator(".review-sentence")).to_contain_text("After session 3 your mood")
    expect(page.locator(".effect-grid")).to_contain_text("Nausea")
    expect(page.locator(".theme-list").first).to_contain_text("lighthouse keeper")
    images_loaded(page)
    assert serious(page) == []
    assert overflow(page) <= 1
    shot(page, f"review-{name}")

    page.get_by_label("Session 1").check()
    page.get_by_label("Session 2").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare sessions")
    table = page.locator(".compare-table")
    expect(table).to_contain_text("Warm and far away")
    expect(table).to_contain_text("Quieter this time")
    expect(table).to_contain_text("A walk by the river, week 1")
    assert serious(page) == []
    assert overflow(page) <= 1
    shot(page, f"compare-{name}")


def test_compare_with_one_session_says_so_kindly(page: Page, server: Server) -> None:
    seed(server)
    page.set_viewport_size(PHONE)
    page.goto(server.url + "course/review")
    page.get_by_label("Session 2").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("alert")).to_contain_text("Pick at least two sessions")
    assert serious(page) == []
