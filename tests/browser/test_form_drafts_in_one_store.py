"""Words kept by a form before the one draft store (under the old `afterglow:form:` keys) are
still found after the update: they come back into their box and move into the store."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server

pytestmark = pytest.mark.browser

HALF = "Where in my body is the"

SEED_OLD_DRAFT = """(text) => {
  const box = [...document.querySelectorAll('form[data-keep] textarea, form[data-keep] input[type=text]')]
    .find((b) => b.labels && [...b.labels].some((l) => l.textContent.includes('Your question')));
  const form = box.form;
  const which = form.getAttribute('data-keep') || form.getAttribute('action') || '';
  const id = location.pathname + '|' + which + '|' + box.name;
  localStorage.setItem('afterglow:form:' + id, JSON.stringify({value: text, shown: box.value, at: Date.now()}));
  return id;
}"""


def test_it_brings_back_a_draft_kept_under_the_old_key_and_moves_it_into_the_store(page: Page, server: Server) -> None:
    page.goto(server.url + "prompts")
    draft_id = page.evaluate(SEED_OLD_DRAFT, HALF)
    page.reload()
    expect(page.get_by_label("Your question")).to_have_value(HALF)
    expect(page.get_by_text("Brought back what you typed here earlier")).to_be_visible()
    assert page.evaluate("(id) => localStorage.getItem('afterglow:form:' + id)", draft_id) is None
    moved = page.evaluate("(id) => JSON.parse(localStorage.getItem('afterglow:formdraft:' + id))", draft_id)
    assert moved["uid"] == draft_id
    assert moved["value"] == HALF
    # Sending the form settles it in the store as it did before.
    page.get_by_role("button", name="Add prompt").click()
    expect(page.get_by_text(HALF, exact=True)).to_be_visible()
    page.reload()
    expect(page.get_by_label("Your question")).to_have_value("")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.indexOf('afterglow:form') === 0).length") == 0
