"""Words typed in the browser are nowhere in clear on disk: not the journal, its WAL, the backups, or the logs."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SAVED, Server

pytestmark = pytest.mark.browser


def files_holding(server: Server, needle: str) -> list[str]:
    encodings = ("utf-8", "utf-16-le", "utf-16-be")
    found = []
    for path in sorted(p for p in server.home.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if any(needle.encode(e) in data for e in encodings):
            found.append(str(path))
    return found


def test_a_canary_typed_in_the_browser_is_never_on_disk_in_clear(page: Page, server: Server) -> None:
    typed = f"canaryweb{uuid.uuid4().hex}"
    written = f"canarycli{uuid.uuid4().hex}"
    page.goto(server.url + "write")
    page.get_by_label("Your entry").fill(f"the most private thing {typed}")
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=SAVED)
    assert server.cli("write", f"also private {written}").returncode == 0

    page.goto(server.url + "privacy")
    page.get_by_role("button", name="Back up now").click()
    expect(page.locator(".vault-backups li")).to_have_count(1)

    assert any(p.parent.name == "backups" for p in server.home.rglob("*.db"))
    for canary in (typed, written):
        assert files_holding(server, canary) == []
        assert canary not in server.log.read_text(errors="replace")
    # And the journal still reads them back once unlocked.
    found = server.cli("search", typed)
    assert found.returncode == 0 and typed in found.stdout
