"""The Reflect page on a phone: writing in two prompts and saving one never loses the other."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SAVED, Server, local_today, saved_texts, shot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FIRST_PROMPT = "When you think of the session, what comes back first?"
SECOND_PROMPT = "What did you notice in your body, and in your feelings?"
HOPE = "What are you hoping this session might bring you?"


def session_page(server: Server, page: Page) -> str:
    yesterday = local_today(server) - timedelta(days=1)
    done = server.cli("session", "add", "--date", yesterday.isoformat(), "--time", "10:00")
    assert done.returncode == 0, done.stderr
    page.goto(server.url + "course")
    page.get_by_role("link", name=re.compile("Session 1")).click()
    return page.url


def prompt_box(page: Page, prompt: str):
    return page.get_by_role("article").filter(has=page.get_by_label(prompt, exact=True))


def test_it_keeps_the_second_answer_when_the_first_is_saved(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    url = session_page(server, page)
    page.goto(url + "/reflect")
    first, second = prompt_box(page, FIRST_PROMPT), prompt_box(page, SECOND_PROMPT)
    first.get_by_label(FIRST_PROMPT, exact=True).fill("Blue light, slow and wide.")
    second.get_by_label(SECOND_PROMPT, exact=True).fill("Heavy hands, then warmth in my chest.")
    first.get_by_role("button", name="Save answer").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved")

    second = prompt_box(page, SECOND_PROMPT)
    expect(second.get_by_label(SECOND_PROMPT, exact=True)).to_have_value("Heavy hands, then warmth in my chest.")
    shot(page, "reflect-two-answers-phone")
    texts = saved_texts(server)
    assert "Blue light, slow and wide." in texts
    assert "Heavy hands, then warmth in my chest." in texts


def test_it_saves_an_answer_while_it_is_typed_without_any_button(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    url = session_page(server, page)
    page.goto(url + "/reflect")
    box = prompt_box(page, SECOND_PROMPT)
    box.get_by_label(SECOND_PROMPT, exact=True).fill("A hum in my feet.")
    expect(box.locator("[data-save-status]")).to_contain_text("Saved", timeout=SAVED)
    assert "A hum in my feet." in saved_texts(server)
    # Leaving and coming back shows the saved answer in its place.
    page.reload()
    expect(prompt_box(page, SECOND_PROMPT).get_by_label(SECOND_PROMPT, exact=True)).to_have_value("A hum in my feet.")


def test_a_question_being_typed_survives_removing_another_prompt(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    page.goto(server.url + "prompts")
    page.get_by_label("Your question").fill("What did my hands want?")
    page.get_by_role("button", name="Add prompt").click()
    expect(page.get_by_text("What did my hands want?", exact=True)).to_be_visible()
    # Half-way through a second question, the first is removed: the half-typed one stays.
    page.get_by_label("Your question").fill("Where in my body is the")
    page.get_by_role("button", name=re.compile("Remove.*What did my hands want")).click()
    expect(page.get_by_text("What did my hands want?", exact=True)).to_have_count(0)
    expect(page.get_by_label("Your question")).to_have_value("Where in my body is the")
    expect(page.get_by_text("Brought back what you typed here earlier")).to_be_visible()
    shot(page, "prompts-kept-phone")
    # Sending it settles it: the next visit starts empty.
    page.get_by_role("button", name="Add prompt").click()
    expect(page.get_by_text("Where in my body is the", exact=True)).to_be_visible()
    page.reload()
    expect(page.get_by_label("Your question")).to_have_value("")


def test_an_intention_saves_itself_while_it_is_typed(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    url = session_page(server, page)
    page.goto(url + "/intention")
    page.get_by_label(HOPE).fill("Some quiet around the old grief.")
    # Saved in the background a moment after typing stops, with no button pressed.
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved", timeout=SAVED)
    page.goto(server.url)
    page.goto(url + "/intention")
    expect(page.get_by_label(HOPE)).to_have_value("Some quiet around the old grief.")
    page.goto(url)
    expect(page.get_by_text("Some quiet around the old grief.")).to_be_visible()
