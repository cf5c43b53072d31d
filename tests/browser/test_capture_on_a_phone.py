"""The quick capture on a phone, as someone drowsy right after a session meets it.

Three taps right now (how it was, one line, done); side effects as chips; the main button
within thumb reach on every step; a record button whose transcript lands in the answer.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SAVED, Server, _watch, local_today, shot
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_voice_notes import mic_browser, record, speech_file  # noqa: F401 (fixtures)
from tests.media.speech import SENTENCE, overlap

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MIN_BROWSER_OVERLAP = 0.35


def session_url(server: Server, page: Page) -> str:
    yesterday = local_today(server) - timedelta(days=1)
    done = server.cli("session", "add", "--date", yesterday.isoformat(), "--time", "10:00")
    assert done.returncode == 0, done.stderr
    page.goto(server.url + "course")
    page.get_by_role("link", name=re.compile("Session 1")).click()
    return page.url


def overflow(page: Page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def within_first_screen(page: Page, name: str) -> None:
    box = page.get_by_role("button", name=name, exact=True).bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box


def test_right_now_takes_three_taps_with_only_exit_and_help_in_the_header(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    url = session_url(server, page)
    page.get_by_role("link", name="Capture it right now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How was it?")
    # A minimal header: a way out and crisis help, and no site navigation.
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    expect(page.get_by_role("link", name="Get help now").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Exit"))).to_be_visible()
    within_first_screen(page, "Done")
    assert overflow(page) <= 1
    record_box = page.get_by_role("button", name="Start recording").bounding_box()
    assert record_box is not None and record_box["y"] + record_box["height"] <= PHONE["height"], record_box
    expect(page.locator("#capture-form > button[hidden]")).to_be_hidden()
    assert serious_violations(page) == []
    shot(page, "capture-now-phone")

    # The three taps: how it was, the line (a tap into it, then typing), done.
    page.get_by_text("Good", exact=True).click()
    page.get_by_label("One line, if you like").click()
    page.keyboard.type("Quiet, and kinder than I feared.")
    page.get_by_role("button", name="Done").click()

    expect(page.get_by_role("status").first).to_contain_text("Saved")
    expect(page.locator(".capture-overall-answer")).to_contain_text("Good")
    expect(page.get_by_text("Quiet, and kinder than I feared.")).to_be_visible()
    shot(page, "capture-now-done-phone")

    # Later, from the session page: say more opens the fuller steps where they were left.
    page.goto(url)
    expect(page.get_by_text("How was it?")).to_be_visible()
    page.get_by_role("link", name="Say more").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What did you see?")


def test_right_now_works_without_script(browser, server: Server) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    server.let_in(context)
    page = context.new_page()
    try:
        yesterday = local_today(server) - timedelta(days=1)
        assert server.cli("session", "add", "--date", yesterday.isoformat()).returncode == 0
        page.goto(server.url + "sessions/1/capture")
        page.get_by_text("Hard", exact=True).click()
        page.get_by_role("button", name="Done").click()
        expect(page.locator(".capture-overall-answer")).to_contain_text("Hard")
    finally:
        context.close()


def test_side_effects_are_chips_tapped_on_and_up_and_next_is_always_in_reach(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    url = session_url(server, page)
    page.goto(url + "/capture/more")
    # Every step: the main button is on the first screen, without scrolling.
    heights = {}
    for number in range(1, 5):
        within_first_screen(page, "Next")
        if number == 2:
            # Enter in a text box goes on to the next question (not Back, not Exit).
            page.get_by_label("Colours").fill("gold")
            page.get_by_label("Colours").press("Enter")
            expect(page.get_by_role("heading", level=1)).to_have_text("What did you hear?")
            continue
        page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How is your body?")
    within_first_screen(page, "Next")
    heights["body"] = page.evaluate("document.scrollingElement.scrollHeight")
    shot(page, "capture-body-chips-phone")

    marked = page.get_by_role("list", name="You marked")
    expect(marked.get_by_role("button")).to_have_count(0)
    page.get_by_role("button", name="Nausea").click()
    expect(marked.get_by_role("button", name="Nausea, mild")).to_be_visible()
    expect(page.locator("#capture-status")).to_contain_text("Saved", timeout=SAVED)
    marked.get_by_role("button", name="Nausea, mild").click()
    expect(marked.get_by_role("button", name="Nausea, moderate")).to_be_visible()
    page.get_by_role("button", name="Tingling").click()
    expect(marked.get_by_role("button")).to_have_count(2)
    expect(page.locator("#capture-status")).to_contain_text("Saved", timeout=SAVED)
    within_first_screen(page, "Next")
    assert overflow(page) <= 1
    assert serious_violations(page) == []
    shot(page, "capture-body-chips-marked-phone")

    # What was tapped is saved: it is there again after a reload.
    page.reload()
    marked = page.get_by_role("list", name="You marked")
    expect(marked.get_by_role("button", name="Nausea, moderate")).to_be_visible()
    expect(marked.get_by_role("button", name="Tingling, mild")).to_be_visible()
    # Much shorter than a 17-row grid (3,445 px before).
    assert heights["body"] < 1700, heights
    # A warning sign brings the clinic advice under the chips at once (the rule and its words are the server's).
    page.get_by_role("button", name="Chest pain or pressure").click()
    advice = page.locator("[data-advice]")
    expect(advice).to_contain_text("Chest pain or pressure:")
    expect(advice).to_contain_text("clinic")
    expect(advice).not_to_contain_text("Nausea")
    # Tapping past strong takes it off the list again (mild → moderate → strong → off).
    for _ in range(3):
        marked.get_by_role("button", name=re.compile("^Tingling")).click()
    expect(marked.get_by_role("button", name=re.compile("^Tingling"))).to_have_count(0)


@pytest.fixture
def mic_phone(mic_browser, server: Server):  # noqa: F811
    context = mic_browser.new_context(viewport=PHONE)
    server.let_in(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.watch = _watch(page, server.url.rstrip("/"))  # type: ignore[attr-defined]
    yield page
    page.watch.assert_clean()  # type: ignore[attr-defined]
    context.close()


def test_a_recording_on_a_text_step_is_added_to_that_answer_marked_machine_made(mic_phone: Page, server: Server) -> None:
    page = mic_phone
    url = session_url(server, page)
    page.goto(url + "/capture/3")
    expect(page.get_by_role("heading", level=1)).to_have_text("What did you hear?")
    answer = page.get_by_label("What did you hear?")
    answer.fill("The playlist, then")
    record(page, 7)
    expect(answer).to_have_value(re.compile(r"^The playlist, then\n\S"), timeout=40_000)
    heard = answer.input_value().split("\n", 1)[1]
    assert overlap(SENTENCE, heard) >= MIN_BROWSER_OVERLAP, heard
    expect(page.get_by_text("Machine-made — check it")).to_be_visible()
    expect(page.locator("#capture-status")).to_contain_text("Saved", timeout=SAVED)
    shot(page, "capture-voice-into-answer-phone")

    # Saved with its mark; editing it makes it the person's own.
    page.reload()
    expect(page.get_by_label("What did you hear?")).to_have_value(re.compile(r"^The playlist, then\n"))
    expect(page.get_by_text("Machine-made — check it")).to_be_visible()
    page.get_by_label("What did you hear?").press("Control+End")
    page.get_by_label("What did you hear?").type(" (checked)")
    expect(page.get_by_text("Machine-made — check it")).to_be_hidden()
    page.get_by_label("What did you hear?").type(" Twice.")
    # Exit saves what is on the page before leaving.
    page.get_by_role("link", name=re.compile("^Exit")).click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+$"))
    page.goto(url + "/capture/3")
    expect(page.get_by_label("What did you hear?")).to_have_value(re.compile(r"\(checked\) Twice\.$"))
    expect(page.get_by_text("Machine-made — check it")).to_be_hidden()


def test_right_now_with_a_voice_note_is_three_taps_too(mic_phone: Page, server: Server) -> None:
    page = mic_phone
    url = session_url(server, page)
    page.goto(url + "/capture/now")
    page.get_by_text("Mixed", exact=True).click()
    page.get_by_role("button", name="Start recording").click()
    expect(page.locator("[data-rec-timer]")).to_have_text(re.compile(r"0:0[3-9]"))
    # Done while it records: the recording is stopped and kept, then the capture is saved.
    page.get_by_role("button", name="Done").click()
    expect(page.locator(".capture-overall-answer")).to_contain_text("Mixed", timeout=20_000)
    notes = [e for e in json.loads(server.cli("list", "--json").stdout) if e["mode"] == "voice"]
    assert len(notes) == 1

    # The page was gone before the words were ready: they still reach the line, marked machine-made.
    words = ""
    for _ in range(60):
        notes = [e for e in json.loads(server.cli("list", "--json").stdout) if e["mode"] == "voice"]
        words = notes[0]["text"].strip()
        if words:
            break
        page.wait_for_timeout(1000)
    assert words, "no transcript in a minute"
    page.goto(url + "/capture/now")
    expect(page.get_by_label("One line, if you like")).to_have_value(words)
    expect(page.get_by_text("Machine-made — check it")).to_be_visible()
