"""`serve` unlocked by AFTERGLOW_PASSPHRASE: the browser it opens gets in through the one-time link, no other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from afterglow.lib.browser import write_private_page
from tests.browser.conftest import Server, _watch

pytestmark = pytest.mark.browser


def test_the_browser_serve_opens_gets_in_and_no_other_does(browser, context, server: Server, tmp_path: Path) -> None:
    link = server._link
    assert link, "serve printed no start link"
    # What `afterglow serve` does when it opens the browser: a private file that forwards to the link.
    owner = context.new_page()
    owner.goto(write_private_page(link, tmp_path).as_uri())
    expect(owner).to_have_url(re.compile(re.escape(server.url) + r"(welcome|course|)$"))
    owner.watch = _watch(owner, server.url.rstrip("/"))  # type: ignore[attr-defined]
    expect(owner.locator("#lock-cover")).to_be_attached()  # a journal page, open in this browser
    owner.goto(server.url + "timeline")
    expect(owner).to_have_url(re.compile(r"/timeline$"))

    stranger = browser.new_context()
    try:
        other = stranger.new_page()
        other.goto(link)
        expect(other.get_by_role("heading", level=1)).to_have_text("That start link is used up")
        other.goto(server.url + "timeline")
        expect(other).to_have_url(re.compile(r"/unlock"))
        expect(other.get_by_role("heading", level=1)).to_contain_text("not in this browser yet")
    finally:
        stranger.close()
    owner.watch.assert_clean()  # type: ignore[attr-defined]
