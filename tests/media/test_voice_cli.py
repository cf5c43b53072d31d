"""`afterglow voice add` and `afterglow worker`, run as real processes on an encrypted journal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.media.speech import MIN_OVERLAP, SENTENCE, encode, overlap
from tests.vault.conftest import cli_env, ok, run


@pytest.mark.parametrize("ext", ["wav", "webm", "mp3"])
def test_voice_add_transcribes_with_a_progress_bar(home, tmp_path, speech_wav, ext):
    path = tmp_path / f"talk.{ext}"
    path.write_bytes(speech_wav if ext == "wav" else encode(speech_wav, ext))
    result = run(home, "voice", "add", str(path), "--session", "1")
    out = ok(result)
    assert "Transcribing [" in result.stderr and "100%" in result.stderr
    assert "for session 1" in out and "Transcript (machine-made on this computer by " in out
    entries = json.loads(ok(run(home, "list", "--json")))
    voice = [e for e in entries if e["mode"] == "voice"]
    assert len(voice) == 1 and voice[0]["session"] == 1
    assert overlap(SENTENCE, voice[0]["text"]) >= MIN_OVERLAP, voice[0]["text"]


def test_a_voice_note_is_found_by_search(home, tmp_path, speech_wav):
    (tmp_path / "talk.wav").write_bytes(speech_wav)
    ok(run(home, "voice", "add", str(tmp_path / "talk.wav")))
    assert "Voice note" in ok(run(home, "search", "music"))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_text("this is a shopping list, not a recording\n" * 30), "not a recording we can read"),
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "a folder"),
    ],
)
def test_voice_add_refuses_bad_files_with_one_line_and_exit_2(home, tmp_path, make, message):
    path = tmp_path / "talk.mp3"
    make(path)
    before = ok(run(home, "list", "--json"))
    result = run(home, "voice", "add", str(path))
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert ok(run(home, "list", "--json")) == before


def test_voice_add_refuses_an_unknown_session(home, tmp_path, speech_wav):
    (tmp_path / "talk.wav").write_bytes(speech_wav)
    result = run(home, "voice", "add", str(tmp_path / "talk.wav"), "--session", "9")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert '"voice"' not in ok(run(home, "list", "--json"))


QUEUE_ONE = (
    "import sys, django; django.setup();"
    "from afterglow.vault.session import unlock_for_cli; unlock_for_cli();"
    "from afterglow.journal.access import local_patient; from afterglow.media.voice import notes;"
    "notes.add(local_patient(), open(sys.argv[1], 'rb').read())"
)


def test_the_worker_runs_the_waiting_jobs(home: Path, tmp_path, speech_wav):
    (tmp_path / "talk.wav").write_bytes(speech_wav)
    env = cli_env(home, DJANGO_SETTINGS_MODULE="afterglow.settings")
    queued = subprocess.run([sys.executable, "-c", QUEUE_ONE, str(tmp_path / "talk.wav")], env=env, capture_output=True)
    assert queued.returncode == 0, queued.stderr
    assert json.loads(ok(run(home, "list", "--json")))[0]["text"] == ""
    assert ok(run(home, "worker", "--once")).strip() == "Ran 1 job."
    assert overlap(SENTENCE, json.loads(ok(run(home, "list", "--json")))[0]["text"]) >= MIN_OVERLAP
    assert ok(run(home, "worker", "--once")).strip() == "Ran 0 jobs."
