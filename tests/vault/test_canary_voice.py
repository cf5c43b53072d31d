"""No voice recording may appear in clear in any file under AFTERGLOW_HOME (the canary, for audio)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.media.speech import encode, speak
from tests.vault.conftest import all_bytes_under, cli_env, ok, run
from tests.webclient import multipart, serving


def _upload_through_web(home: Path, data: bytes) -> None:
    with serving(cli_env(home)) as web:
        audio = {"audio": ("talk.webm", "application/octet-stream", data)}
        body, kind = multipart({"csrfmiddlewaretoken": web.token("/voice/new")}, audio)
        status, _, _ = web.post("/voice/upload", body, kind)
        assert status == 201
        # Let the in-process worker transcribe it, so the job's writes are on disk too.
        for _ in range(100):
            status_text = web.get("/voice/1/status").decode()
            if '"finished": true' in status_text:
                break
            time.sleep(0.2)
        assert '"status": "done"' in status_text


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
