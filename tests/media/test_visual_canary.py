"""No drawing or photo bytes may appear in clear in any file under AFTERGLOW_HOME.

The canary idea of tests/vault/test_canary.py, for pictures: a photo goes in
through the CLI and one through the web form, a drawing through the drawing
page's autosave; then every file under the data dir (journal, keys, backups,
anything left behind) is searched for pieces of what was sent and of what the
server stored and serves back.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from pathlib import Path

from PIL import Image

from tests.media.images import canvas_png, jpeg_with_gps
from tests.vault.conftest import all_bytes_under, cli_env, ok, run
from tests.webclient import multipart, serving

WINDOW = 48


def _through_the_web(home: Path, photo: bytes, png: bytes, strokes: bytes, earlier: int) -> list[bytes]:
    """Send a photo and a drawing as the pages do; return the bytes the server serves for them and for `earlier`."""
    with serving(cli_env(home)) as web:
        token = web.token("/photos/new")
        fields = {"csrfmiddlewaretoken": token, "caption": "a quiet corner"}
        body, kind = multipart(fields, {"photo": ("p.jpg", "image/jpeg", photo)})
        _, landed, _ = web.post("/photos/new", body, kind)
        photo_id = int(landed.rsplit("/", 1)[-1])

        files = {"png": ("drawing.png", "image/png", png), "strokes": ("strokes.json", "application/json", strokes)}
        body, kind = multipart({"csrfmiddlewaretoken": web.token("/draw"), "uid": str(uuid.uuid4())}, files)
        _, _, answer = web.post("/draw/save", body, kind)
        drawing_id = json.loads(answer)["id"]
        served = [web.get(f"/pictures/{i}/{part}") for i in (photo_id, drawing_id, earlier) for part in ("image", "thumb")]
        assert "101.37" in web.get(f"/drawings/{drawing_id}").decode()  # the strokes are stored, and come back
        return served


def windows(data: bytes, count: int = 6) -> list[bytes]:
    """A few distinct pieces from the body of the data (headers alone are common to every image)."""
    start, span = len(data) // 4, len(data) // 2
    return [data[start + i * span // count : start + i * span // count + WINDOW] for i in range(count)]


def test_it_never_leaves_drawing_or_photo_bytes_in_clear_on_disk(tmp_path: Path):
    home = tmp_path / "home"
    ok(run(home, "init"))
    cli_photo = tmp_path / "outside-the-journal.jpg"
    cli_photo.write_bytes(jpeg_with_gps(1600, 1200))
    added = ok(run(home, "image", "add", str(cli_photo), "--caption", "from the terminal"))
    cli_id = int(re.search(r"Added photo (\d+)", added).group(1))

    web_photo = jpeg_with_gps(900, 700)
    png = canvas_png()
    # Point values no other file would hold by chance.
    strokes = json.dumps({"v": 1, "strokes": [
        {"c": "#4f6d94", "w": 10, "e": False, "p": [[101.37, 202.71, 0.43], [303.19, 404.83, 0.61], [505.97, 606.29, 0.57]]},
    ]}).encode()  # fmt: skip
    served = _through_the_web(home, web_photo, png, strokes, cli_id)
    ok(run(home, "backup"))

    files = all_bytes_under(home)
    assert any(p.parent.name == "backups" for p, _ in files)
    needles = [w for data in (cli_photo.read_bytes(), web_photo, png, *served) for w in windows(data)]
    needles.append(b"[[101.37,202.71,0.43],[303.19,404.83,0.61]")
    assert all(len(n) == WINDOW for n in needles[:-1])
    leaks = [(str(p), i) for p, data in files for i, needle in enumerate(needles) if needle in data]
    assert leaks == []

    # …and the pictures really are in the journal, as they were sent.
    assert Image.open(io.BytesIO(served[0])).size == (900, 700)
    assert Image.open(io.BytesIO(served[2])).size == (1200, 900)
    assert Image.open(io.BytesIO(served[4])).size == (1600, 1200)
