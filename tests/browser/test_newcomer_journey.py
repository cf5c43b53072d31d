"""A newcomer's first days with Afterglow, clicked through the way a person would."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, local_today, shot

pytestmark = pytest.mark.browser

FIRST_PROMPT = "When you think of the session, what comes back first?"
STEP_PROMPT = "Name one small, doable step toward your own healing that fits into this week."
STEP = "Walk by the river on Saturday morning"


def test_it_takes_a_newcomer_from_first_run_to_a_full_timeline(page: Page, server: Server) -> None:
    today = local_today(server)
    yesterday = today - timedelta(days=1)

    # First run: a short welcome that says what Afterglow is, that it is not care, and where help is.
    page.goto(server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Afterglow")
    expect(page.get_by_role("link", name="Get help now").first).to_be_visible()
    shot(page, "journey-01-welcome")
    page.get_by_role("link", name="Set up my course").click()

    # A course: only the start date is needed; a programme picks the prompts.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    page.get_by_label("When did (or will) the course start?").fill((today - timedelta(days=3)).isoformat())
    page.get_by_label("A name for this course").fill("Spring infusions")
    page.get_by_role("textbox", name="Clinic (optional)").fill("Riverside Clinic")
    page.get_by_label("Recall → reflection → action").check()
    page.get_by_role("button", name="Save the course").click()
    expect(page.get_by_role("status")).to_contain_text("Your course is set up")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring infusions")

    # A session, held yesterday morning.
    page.get_by_role("link", name="Add a session").click()
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Nasal spray").check()
    page.get_by_label("Dose").fill("56 mg")
    page.get_by_role("button", name="Add the session").click()
    expect(page.get_by_role("status")).to_contain_text("Session 1 saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Session 1")
    session_url = page.url

    # An intention (set before the session, in the story).
    page.get_by_role("link", name="Set an intention").click()
    page.get_by_label("What are you hoping this session might bring you?").fill("Some quiet around the old grief.")
    page.get_by_role("button", name="Save my intentions").click()
    expect(page.get_by_role("status")).to_contain_text("Your intentions are saved")
    page.get_by_role("link", name="Session 1", exact=True).click()
    expect(page.get_by_text("Some quiet around the old grief.")).to_be_visible()

    # Right after: three taps (how it was, one line, done); saying more can wait.
    page.get_by_role("link", name="Capture it right now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How was it?")
    page.get_by_text("Good", exact=True).click()
    page.get_by_label("One line, if you like").fill("A wide, slow blue.")
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved")

    # Saying more: one question a screen, each answer saved as it is given.
    page.get_by_role("link", name="Say more").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What did you see?")
    page.get_by_label("Colours").fill("deep blue, gold")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("What did you hear?").fill("The playlist, far away.")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("What did you feel?").fill("Held.")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How is your body?")
    shot(page, "journey-02-capture-body")
    # Only what is marked is listed: a tap adds it, the next tap makes it stronger. The tap alone saves it.
    page.get_by_role("button", name="Tingling").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    page.get_by_role("button", name="Nausea").click()
    page.get_by_role("button", name="Nausea, mild").click()
    expect(page.get_by_role("list", name="You marked").get_by_role("button")).to_have_count(2)
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    page.get_by_role("button", name="Finish later").click()
    expect(page.get_by_role("status")).to_contain_text("picks up where you stopped")

    # Coming back: the capture resumes at the first question not yet answered; earlier taps are kept.
    page.goto(session_url)
    page.get_by_role("link", name="Say more").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How floaty or far away did you feel?")
    page.get_by_role("button", name="Back").click()
    marked = page.get_by_role("list", name="You marked")
    expect(marked.get_by_role("button", name="Tingling, mild")).to_be_visible()
    expect(marked.get_by_role("button", name="Nausea, moderate")).to_be_visible()
    page.get_by_role("button", name="Finish later").click()

    # Reflection: an answer is an entry; an answer to an action prompt becomes an integration action.
    page.goto(session_url)
    page.get_by_role("link", name="Reflect with prompts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflect on session 1")
    first = page.get_by_role("article").filter(has=page.get_by_label(FIRST_PROMPT))
    first.get_by_label(FIRST_PROMPT).fill("The blue, and feeling held by it.")
    first.get_by_role("button", name="Save answer").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    step = page.get_by_role("article").filter(has=page.get_by_label(STEP_PROMPT))
    step.get_by_label(STEP_PROMPT).fill(STEP)
    step.get_by_role("button", name="Save answer").click()
    step.get_by_text("Make this an integration action").click()
    expect(step.get_by_label("What will you do?")).to_have_value(STEP)
    step.get_by_role("button", name="Add to my actions").click()
    expect(page.get_by_role("status")).to_contain_text("Added to your actions")
    shot(page, "journey-03-reflect")

    # The Actions page: tick it off.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Actions").click()
    page.get_by_role("button", name=f"Mark done: {STEP}").click()
    expect(page.get_by_role("status")).to_contain_text("ticked off")
    done = page.get_by_role("region", name="Done")
    expect(done.get_by_text(STEP, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=f"Mark done: {STEP}")).to_have_count(0)

    # The daily check-in.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    page.get_by_role("group", name="Mood").get_by_text("7", exact=True).click()
    page.get_by_role("group", name="Anxiety").get_by_text("3", exact=True).click()
    page.get_by_label("Sleep last night (hours)").fill("7.5")
    page.get_by_label("Body and behaviour").fill("Slow morning, hungry by noon.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Check-in for today at \d\d:\d\d saved\."))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Day 1 after session 1")
    shot(page, "journey-04-home")

    # The timeline: the session, with its entries and the day-after check-in under it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    period = page.get_by_role("region", name="Session 1 of Spring infusions and the days after")
    expect(period.get_by_role("heading", name="Session 1")).to_be_visible()
    expect(period.get_by_text("The blue, and feeling held by it.")).to_be_visible()
    expect(period.get_by_text(STEP)).to_be_visible()
    checkin = period.get_by_role("listitem").filter(has_text="Check-in")
    expect(checkin).to_contain_text("Slow morning, hungry by noon.")
    expect(checkin.get_by_role("list", name=re.compile("Check-in for"))).to_contain_text("7")
    shot(page, "journey-05-timeline")
