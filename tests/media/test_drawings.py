"""Drawings: the palette data, the checks on strokes and PNG, and the autosave endpoint."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from PIL import Image

from afterglow.journal.models import Entry
from afterglow.media.visual import drawings
from afterglow.media.visual.drawings import DrawingDataError, DrawingError, clean_png, clean_strokes, parse_palette
from afterglow.media.visual.models import Picture
from tests.journal.course_factories import course, days_ago, entry, session, stranger
from tests.media.images import canvas_png, encoded, jpeg_with_gps, strokes


def test_the_palette_file_is_valid_and_has_three_brush_sizes():
    pal = drawings.palette()
    assert len(pal.sizes) == 3 and len(pal.colours) >= 4
    assert (pal.width, pal.height) == (1200, 900)


@pytest.mark.parametrize(
    "broken",
    [
        {"canvas": {"width": 1200, "height": 900, "paper": "#fff"}, "colours": [{"key": "a", "label": "A", "hex": "#000000"}],
         "sizes": [{"key": "s", "label": "S", "width": 4}]},
        {"canvas": {"width": 1200, "height": 900, "paper": "#ffffff"}, "colours": [],
         "sizes": [{"key": "s", "label": "S", "width": 4}]},
        {"canvas": {"width": 1200, "height": 900, "paper": "#ffffff"}, "colours": [{"key": "a", "label": "A", "hex": "#000000"}],
         "sizes": [{"key": "s", "label": "S", "width": 400}]},
        {"colours": [], "sizes": []},
    ],
)  # fmt: skip
def test_a_broken_palette_file_is_caught_with_a_reason(broken):
    with pytest.raises(DrawingDataError):
        parse_palette(broken)


def test_strokes_are_stored_compactly_and_rounded():
    raw = json.dumps({"v": 1, "strokes": [{"c": "#2F3A4A", "w": 10, "e": False, "p": [[1.23456, 2, 0.5]]}]}).encode()
    assert clean_strokes(raw) == b'{"v":1,"strokes":[{"c":"#2f3a4a","w":10,"e":false,"p":[[1.23,2,0.5]]}]}'


@pytest.mark.parametrize(
    "bad",
    [
        b"not json",
        b'{"v": 2, "strokes": []}',
        b'{"v": 1, "strokes": [{"c": "#ff00ff", "w": 10, "e": false, "p": [[1, 2, 0.5]]}]}',  # not a palette colour
        b'{"v": 1, "strokes": [{"c": "#2f3a4a", "w": 10, "e": false, "p": []}]}',
        b'{"v": 1, "strokes": [{"c": "#2f3a4a", "w": 10, "e": false, "p": [[1, 2]]}]}',
        b'{"v": 1, "strokes": [{"c": "#2f3a4a", "w": 10, "e": false, "p": [[99999, 2, 0.5]]}]}',
        b'{"v": 1, "strokes": [{"c": "#2f3a4a", "w": 10, "e": false, "p": [[1, 2, 7]]}]}',
        b'{"v": 1, "strokes": [{"c": "#2f3a4a", "w": 0, "e": false, "p": [[1, 2, 0.5]]}]}',
        b'{"v": 1, "strokes": [{"c": "#2f3a4a", "w": true, "e": false, "p": [[1, 2, 0.5]]}]}',
        b'{"v": 1, "strokes": [{"c": "#2f3a4a", "w": 10, "e": "yes", "p": [[1, 2, 0.5]]}]}',
        b'{"v": 1, "strokes": [{"c": "#2f3a4a", "w": 10, "e": false, "p": [[NaN, 2, 0.5]]}]}',
    ],
)
def test_garbled_strokes_are_refused(bad):
    with pytest.raises(DrawingError, match="garbled"):
        clean_strokes(bad)


def test_too_many_points_is_refused_as_too_large():
    many = {"v": 1, "strokes": [{"c": "#2f3a4a", "w": 4, "e": False, "p": [[1, 1, 0.5]] * 1000}] * 201}
    with pytest.raises(DrawingError, match="too large"):
        clean_strokes(json.dumps(many).encode())
    with pytest.raises(DrawingError, match="too large"):
        clean_strokes(b" " * (drawings.MAX_STROKES_BYTES + 1))


def test_the_png_is_re_encoded_flat_on_paper_with_a_thumbnail():
    painted = clean_png(canvas_png())
    image = Image.open(io.BytesIO(painted.image.data))
    assert image.format == "PNG" and image.mode == "RGB" and image.size == (1200, 900)
    assert max(painted.thumb.width, painted.thumb.height) == 320


def test_a_png_of_the_wrong_size_or_not_a_png_is_refused():
    for bad in (canvas_png(600, 400), encoded(Image.new("RGB", (1200, 900)), "JPEG"), b"\x89PNG\r\n\x1a\n garbage"):
        with pytest.raises(DrawingError):
            clean_png(bad)


# --- The endpoint ---------------------------------------------------------------------------------


def save(client, uid: str, *, png: bytes | None = None, lines: bytes | None = None, **fields):
    client.get("/draw")
    if "csrftoken" not in client.cookies:  # locked: no page hands out a token, so bring one as a browser would
        client.cookies["csrftoken"] = _get_new_csrf_string()
    data = {
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value, "uid": uid,
        "png": SimpleUploadedFile("drawing.png", png if png is not None else canvas_png(), content_type="image/png"),
        "strokes": SimpleUploadedFile("strokes.json", lines if lines is not None else strokes(), content_type="application/json"),
        **fields,
    }  # fmt: skip
    return client.post("/draw/save", data, HTTP_ACCEPT="application/json")


def test_the_drawing_page_has_the_palette_tools_and_a_touch_ready_canvas(client, patient):
    s = session(patient, course(patient), days_ago(1))
    body = client.get(f"/draw?session={s.pk}").content.decode()
    assert 'id="draw-canvas"' in body and 'data-strokes="0"' in body
    assert body.count('class="swatch"') == len(drawings.palette().colours)
    for label in ("Undo", "Redo", "Clear", "Eraser", "Fine", "Medium", "Broad"):
        assert label in body
    assert f'data-session="{s.pk}"' in body and "js/draw.js" in body and "style=" not in body


def test_a_first_save_makes_a_drawing_entry_for_the_session_and_later_saves_update_it(client, patient):
    s = session(patient, course(patient), days_ago(1))
    uid = str(uuid.uuid4())
    first = save(client, uid, session=str(s.pk)).json()
    assert first["ok"] and first["created"] and first["strokes"] == 2
    second = save(client, uid, lines=strokes(5), session=str(s.pk)).json()
    assert not second["created"] and second["id"] == first["id"] and second["strokes"] == 5
    pic = Picture.objects.with_bytes().get()
    assert pic.kind == "drawing" and pic.entry.mode == Entry.Mode.DRAWING and pic.entry.session == s
    assert Entry.objects.count() == 1 and len(json.loads(bytes(pic.strokes))["strokes"]) == 5


def test_reopening_a_drawing_brings_back_its_strokes(client, patient):
    saved = save(client, str(uuid.uuid4()), lines=strokes(3)).json()
    body = client.get(saved["url"]).content.decode()
    assert 'data-strokes="3"' in body and 'id="draw-strokes"' in body and "[[120,100,0.5]" in body
    # The page's Delete link comes from the server's own address for it, not from a path built in script.
    assert client.get(saved["delete_url"]).status_code == 200


def test_a_drawing_from_an_entry_joins_it(client, patient):
    e = entry(patient, "a sentence")
    save(client, str(uuid.uuid4()), entry=str(e.pk))
    assert Picture.objects.get().entry == e and Entry.objects.count() == 1


def test_a_garbled_save_is_refused_and_nothing_is_stored(client, patient):
    response = save(client, str(uuid.uuid4()), lines=b"{oops")
    assert response.status_code == 400 and "garbled" in response.json()["message"]
    response = save(client, str(uuid.uuid4()), png=encoded(Image.new("RGB", (1200, 900)), "JPEG"))
    assert response.status_code == 400
    response = save(client, "not-a-uid")
    assert response.status_code == 400
    assert Picture.objects.count() == 0 and Entry.objects.count() == 0


def test_a_photo_sent_as_a_drawing_is_refused(client, patient):
    assert save(client, str(uuid.uuid4()), png=jpeg_with_gps()).status_code == 400


def test_someone_elses_drawing_cannot_be_overwritten(client, patient):
    uid = str(uuid.uuid4())
    save(client, uid)
    Picture.objects.update(owner=stranger())
    assert save(client, uid).status_code == 404


@pytest.mark.vault_locked
def test_a_save_while_locked_is_turned_away_and_stores_nothing(client, db):
    response = save(client, str(uuid.uuid4()))
    assert response.status_code in (302, 401)
    assert Picture.objects.count() == 0
