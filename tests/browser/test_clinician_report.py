"""Prepare a report in a browser: tick one entry, preview it within the CSP, download the PDF; no private entry anywhere."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, shot
from tests.browser.test_course_review import PHONE, SEED, overflow, serious

pytestmark = pytest.mark.browser

PRIVATE = "canary-private-kestrel"
EXTRA = f"""
create_entry(me, "Walking helped more than I thought", title="The long walk")
from afterglow.journal.models import Entry
Entry.objects.create(owner=me, text="{PRIVATE} only mine", title="Mine alone", private=True)
"""


def seed(server: Server) -> None:
    done = subprocess.run([sys.executable, "-c", SEED + EXTRA], env=server.env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_prepare_preview_and_download_the_report(page: Page, server: Server, tmp_path) -> None:
    seed(server)
    page.goto(server.url + "report")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prepare a report")
    assert PRIVATE not in page.content() and "Mine alone" not in page.content()
    page.get_by_label("The long walk").check()
    assert serious(page) == []
    shot(page, "report-form")
    page.get_by_role("button", name="Preview the report").click()
    expect(page.get_by_role("heading", name="Between sessions: a report from my journal")).to_be_visible()
    expect(page.locator(".report")).to_contain_text("Walking helped more than I thought")
    expect(page.locator(".report")).not_to_contain_text("lighthouse keeper")  # not ticked
    for img in page.locator(".report img.chart").all():
        img.scroll_into_view_if_needed()
        assert img.evaluate("i => i.naturalWidth") > 0
    assert serious(page) == []
    shot(page, "report-preview")
    with page.expect_download() as caught:
        page.get_by_role("button", name="Make the PDF").click()
    path = tmp_path / "report.pdf"
    caught.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Walking helped more than I thought" in text and PRIVATE not in text and "lighthouse keeper" not in text
    page.set_viewport_size(PHONE)
    assert overflow(page) <= 1
