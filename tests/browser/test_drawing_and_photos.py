"""Journaling without typing: a drawing made with the mouse, and a photo of a paper page."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageChops
from PIL.ExifTags import IFD
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSPHRASE, SAVED, Server, local_today, shot
from tests.media.images import jpeg_with_gps

pytestmark = pytest.mark.browser

PAPER = (0xFB, 0xF8, 0xF2)
PHONE = {"width": 375, "height": 812}


def a_session(server: Server, page: Page) -> str:
    done = server.cli("session", "add", "--date", local_today(server).isoformat(), "--time", "00:01")
    assert done.returncode == 0, done.stderr
    page.goto(server.url + "course")
    page.get_by_role("link", name=re.compile("Session 1")).click()
    return page.url


def stroke(page: Page, points: list[tuple[float, float]]) -> None:
    """A line drawn with the mouse, in fractions of the canvas."""
    box = page.locator("#draw-canvas").bounding_box()
    assert box is not None
    at = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for x, y in at[1:]:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()


def stored_png(page: Page, server: Server, picture_url: str) -> Image.Image:
    response = page.request.get(server.url.rstrip("/") + picture_url + "/image")
    assert response.ok and response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    return Image.open(io.BytesIO(response.body())).convert("RGB")


def inked(image: Image.Image) -> int:
    """How many pixels differ from the paper."""
    diff = ImageChops.difference(image, Image.new("RGB", image.size, PAPER)).convert("L")
    return sum(diff.point(lambda v: 255 if v > 40 else 0).histogram()[255:])


def test_a_drawing_made_with_the_mouse_is_saved_as_a_picture_and_opens_again_as_strokes(page: Page, server: Server) -> None:
    a_session(server, page)
    page.get_by_role("link", name=re.compile("^Draw")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draw")
    canvas = page.locator("#draw-canvas")
    expect(canvas).to_have_attribute("data-strokes", "0")

    stroke(page, [(0.1, 0.2), (0.4, 0.5), (0.7, 0.3)])
    page.get_by_role("button", name="Clay").click()
    page.get_by_role("button", name="Broad").click()
    stroke(page, [(0.2, 0.8), (0.8, 0.8)])
    page.get_by_role("button", name="Sage").click()
    stroke(page, [(0.5, 0.1), (0.5, 0.9)])
    expect(canvas).to_have_attribute("data-strokes", "3")
    expect(page.locator("#draw-status")).to_contain_text("Saved", timeout=SAVED)
    expect(page).to_have_url(re.compile(r"/drawings/\d+$"))
    shot(page, "draw-three-strokes-1280")

    # Undo takes the last line back; the autosave keeps up.
    page.get_by_role("button", name="Undo").click()
    expect(canvas).to_have_attribute("data-strokes", "2")
    expect(page.locator("#draw-status")).to_contain_text("Saved", timeout=SAVED)

    page.reload()
    expect(canvas).to_have_attribute("data-strokes", "2")
    expect(page.get_by_role("button", name="Undo")).to_be_disabled()
    picture_url = "/pictures/" + page.url.rsplit("/", 1)[-1]
    image = stored_png(page, server, picture_url)
    assert image.size == (1200, 900)
    assert inked(image) > 5_000  # two real lines, not a blank page
    # The undone vertical sage line is not in the stored picture: its middle is paper (the clay line is lower).
    assert image.getpixel((600, 150)) == PAPER

    # Strokes come back editable: one more line, and the stored picture follows.
    stroke(page, [(0.9, 0.1), (0.9, 0.6)])
    expect(canvas).to_have_attribute("data-strokes", "3")
    expect(page.locator("#draw-status")).to_contain_text("Saved", timeout=SAVED)
    assert stored_png(page, server, picture_url).getpixel((1080, 400)) != PAPER

    # Clear can be undone too.
    page.get_by_role("button", name="Clear").click()
    expect(canvas).to_have_attribute("data-strokes", "0")
    page.get_by_role("button", name="Undo").click()
    expect(canvas).to_have_attribute("data-strokes", "3")

    page.get_by_role("link", name=re.compile("^Done")).click()
    # Done saves the restored strokes first, then leaves: allow it a save's time on a busy machine.
    expect(page.get_by_role("heading", level=1)).to_have_text("Session 1", timeout=SAVED)
    page.goto(server.url + "timeline")
    thumb = page.locator(f'img[src="{picture_url}/thumb"]')
    expect(thumb).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", thumb.element_handle()) == 320
    shot(page, "timeline-with-drawing-1280")

    page.set_viewport_size(PHONE)
    page.goto(server.url.rstrip("/") + picture_url.replace("pictures", "drawings"))
    stroke(page, [(0.1, 0.1), (0.3, 0.3)])
    expect(canvas).to_have_attribute("data-strokes", "4")
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 1
    shot(page, "draw-375")


def test_a_drawing_made_while_the_journal_is_locked_is_kept_and_saved_after_unlocking(
    page: Page, new_page, server: Server
) -> None:
    a_session(server, page)
    page.get_by_role("link", name=re.compile("^Draw")).first.click()
    draw_url = page.url
    # Locked elsewhere (the idle timer, another program) and this page has not heard yet: its
    # lock check is up to 20 s away (held back here), so the stroke is drawn and meets the lock.
    page.route("**/lock/status", lambda route: route.abort())
    token = page.locator("form.lock-form input[name=csrfmiddlewaretoken]").input_value()
    assert page.request.post(server.url + "lock", form={"csrfmiddlewaretoken": token}, max_redirects=0).status == 302
    other = new_page()
    other.goto(server.url + "timeline")
    expect(other).to_have_url(re.compile(r"/unlock"))

    stroke(page, [(0.2, 0.2), (0.6, 0.6)])
    expect(page.locator("#draw-status")).to_contain_text("locked", timeout=SAVED)
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('afterglow:drawing:') && !k.endsWith('probe'))")
    assert len(kept) == 1
    shot(page, "draw-locked-1280")

    page.unroute("**/lock/status")
    other.get_by_label("Passphrase").fill(PASSPHRASE)
    other.get_by_role("button", name="Unlock").click()
    expect(other).to_have_url(re.compile(r"/timeline$"))
    page.goto(draw_url)
    expect(page.locator("#draw-restored")).to_contain_text("Brought back your drawing")
    expect(page.locator("#draw-canvas")).to_have_attribute("data-strokes", "1")
    expect(page.locator("#draw-status")).to_contain_text("Saved", timeout=SAVED)
    expect(page).to_have_url(re.compile(r"/drawings/\d+$"))
    page.reload()
    expect(page.locator("#draw-canvas")).to_have_attribute("data-strokes", "1")
    expect(page.locator("#draw-restored")).to_be_hidden()


def choose(page: Page, data: bytes) -> None:
    page.get_by_label("Photo", exact=True).set_input_files({"name": "page.jpg", "mimeType": "image/jpeg", "buffer": data})


def test_a_photo_with_its_location_is_added_from_a_session_and_shown_without_it(page: Page, server: Server) -> None:
    a_session(server, page)
    page.get_by_role("link", name=re.compile("^Add a photo")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a photo")

    # A text file dressed up as a photo: refused kindly, the caption kept.
    choose(page, b"hello " * 200)
    page.get_by_label("Caption").fill("My notebook, the morning after")
    page.get_by_role("button", name="Add the photo").click()
    expect(page.get_by_role("alert")).to_contain_text("not a photo Afterglow can read")
    expect(page.get_by_label("Caption")).to_have_value("My notebook, the morning after")
    shot(page, "photo-refused-1280")

    choose(page, jpeg_with_gps(2400, 1800))
    page.get_by_role("button", name="Add the photo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My notebook, the morning after")
    expect(page.get_by_role("status")).to_contain_text("location and camera details were removed")
    image = page.get_by_role("img", name="My notebook, the morning after")
    expect(image).to_be_visible()
    shot(page, "photo-1280")

    served = page.request.get(image.evaluate("img => img.src"))
    assert served.ok and served.headers["content-type"] == "image/jpeg"
    stored = Image.open(io.BytesIO(served.body()))
    assert stored.size == (2048, 1536)
    assert dict(stored.getexif()) == {} and not stored.getexif().get_ifd(IFD.GPSInfo)
    assert b"CanaryCam" not in served.body()

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 1
    shot(page, "photo-375")

    page.get_by_role("link", name="Delete…").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session 1")
    expect(page.get_by_role("status")).to_contain_text("photo was deleted")
