"""No voice recording may appear in clear in any file under AFTERGLOW_HOME (the canary, for audio)."""

from __future__ import annotations

import http.cookiejar
import json
import re
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

from tests.media.speech import encode, speak
from tests.vault.conftest import AFTERGLOW, all_bytes_under, cli_env, ok, run
from tests.vault.test_canary import _free_port


def _multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="audio"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _upload_through_web(home: Path, data: bytes) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [*AFTERGLOW, "serve", "--no-browser", "--port", str(port)],
        env=cli_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for _ in range(100):
            try:
                page = opener.open(base + "/voice/new", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body, content_type = _multipart({"csrfmiddlewaretoken": token}, "talk.webm", data)
        request = urllib.request.Request(
            base + "/voice/upload", data=body, headers={"Content-Type": content_type, "Referer": base + "/voice/new"}
        )
        assert opener.open(request, timeout=20).status == 201
        # Let the in-process worker transcribe it, so the job's writes are on disk too.
        for _ in range(100):
            status = opener.open(base + "/voice/1/status", timeout=5).read().decode()
            if '"finished": true' in status:
                break
            time.sleep(0.2)
        assert '"status": "done"' in status
    finally:
        server.terminate()
        server.wait(10)


def _samples_of(data: bytes) -> list[bytes]:
    """Three 48-byte pieces from inside the recording: any of them in a file means audio in clear."""
    return [data[i : i + 48] for i in (len(data) // 4, len(data) // 2, 3 * len(data) // 4)]


def test_it_never_leaves_a_recording_in_clear_on_disk(home: Path, tmp_path: Path):
    wav = speak(tmp_path / "canary.wav", "a private voice note about the garden and the rain").read_bytes()
    web = encode(wav, "webm")
    _upload_through_web(home, web)
    ok(run(home, "voice", "add", str(tmp_path / "canary.wav")))
    ok(run(home, "backup"))

    files = all_bytes_under(home)
    assert any(p.parent.name == "backups" for p, _ in files)
    for needle in [*_samples_of(web), *_samples_of(wav)]:
        assert [p for p, data in files if needle in data] == []
    assert (tmp_path / "canary.wav").exists()  # the CLI reads the file; it neither moves nor copies it
    assert [e["mode"] for e in json.loads(ok(run(home, "list", "--json")))].count("voice") == 2
