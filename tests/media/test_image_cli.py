"""`afterglow image add`: a photo from a file, its tags removed; bad input is one line and exit 2."""

from __future__ import annotations

import io
import subprocess
import sys

from PIL import Image

from afterglow.journal.models import Entry
from afterglow.media.visual.models import Picture
from tests.cli.verbs import refused, run
from tests.journal.course_factories import course, days_ago, session
from tests.media.images import encoded, jpeg_with_gps


def test_it_adds_a_photo_to_a_session_without_its_location(patient, tmp_path):
    s = session(patient, course(patient), days_ago(1))
    path = tmp_path / "IMG_0042.JPG"
    path.write_bytes(jpeg_with_gps(3000, 2000))
    out = run("image", "add", str(path), "--session", str(s.number), "--caption", "The tree outside the clinic")
    pic = Picture.objects.with_bytes().get()
    assert f"Added photo {pic.pk} for session {s.number} (2048×1365" in out
    assert pic.caption == "The tree outside the clinic" and pic.entry.session == s and pic.entry.mode == Entry.Mode.IMAGE
    assert dict(Image.open(io.BytesIO(bytes(pic.image))).getexif()) == {}


def test_it_refuses_what_is_not_a_photo_and_stores_nothing(patient, tmp_path):
    text = tmp_path / "notes.jpg"
    text.write_text("only words in here " * 50)
    assert "not a photo Afterglow can read" in refused("image", "add", str(text))
    huge = tmp_path / "huge.png"
    huge.write_bytes(encoded(Image.new("L", (8000, 5001)), "PNG", optimize=True))
    assert "40 megapixels" in refused("image", "add", str(huge))
    assert "no such file" in refused("image", "add", str(tmp_path / "missing.jpg"))
    assert "folder" in refused("image", "add", str(tmp_path))
    assert Picture.objects.count() == 0 and Entry.objects.count() == 0


def test_it_refuses_a_session_that_does_not_exist(patient, tmp_path):
    path = tmp_path / "a.jpg"
    path.write_bytes(jpeg_with_gps())
    assert "session" in refused("image", "add", str(path), "--session", "9").lower()
    assert Picture.objects.count() == 0


def test_from_a_terminal_a_refusal_is_one_line_and_exit_2(tmp_path):
    from tests.vault.conftest import cli_env, ok
    from tests.vault.conftest import run as afterglow

    home = tmp_path / "home"
    ok(afterglow(home, "init"))
    bad = tmp_path / "photo.heic"
    bad.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)  # a HEIC header with nothing behind it
    command = [sys.executable, "-m", "afterglow", "image", "add", str(bad)]
    done = subprocess.run(command, env=cli_env(home), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("afterglow: ") and "Traceback" not in done.stderr


def test_it_refuses_a_device_instead_of_reading_it_without_end(patient):
    assert "device or other special file" in refused("image", "add", "/dev/zero")
    assert Picture.objects.count() == 0


def test_it_takes_a_photo_from_a_pipe(patient, tmp_path):
    import os
    import threading

    fifo = tmp_path / "photo-pipe"
    os.mkfifo(fifo)
    photo = jpeg_with_gps(800, 600)
    writer = threading.Thread(target=fifo.write_bytes, args=(photo,), daemon=True)
    writer.start()
    assert "Added photo" in run("image", "add", str(fifo), "--caption", "through a pipe")
    writer.join(5)
    assert Picture.objects.get().caption == "through a pipe"
