"""`afterglow voice add` and `afterglow worker`, run as real processes on an encrypted journal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.media.speech import MIN_OVERLAP, SENTENCE, encode, overlap
from tests.vault.conftest import AFTERGLOW, cli_env, ok, run


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


def test_voice_add_private_makes_a_private_entry(home, tmp_path, speech_wav):
    (tmp_path / "talk.wav").write_bytes(speech_wav)
    ok(run(home, "voice", "add", str(tmp_path / "talk.wav"), "--private"))
    voice = [e for e in json.loads(ok(run(home, "list", "--json"))) if e["mode"] == "voice"]
    assert len(voice) == 1 and voice[0]["private"] is True and voice[0]["text"]


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
    "from afterglow.access import local_patient; from afterglow.media.voice import notes;"
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


def test_voice_add_refuses_a_device_at_once(home):
    result = run(home, "voice", "add", "/dev/zero")  # it used to read until the kernel stopped it
    assert result.returncode == 2 and "device or other special file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_voice_add_takes_a_recording_from_a_pipe(home, speech_wav):
    result = subprocess.run(
        [*AFTERGLOW, "voice", "add", "/dev/stdin"], input=speech_wav, env=cli_env(home), capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert b"Added voice note" in result.stdout


# Run the verb in a child of a small Python wrapper, so its peak memory is its own.
PEAK_OF_CHILD = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def test_voice_add_refuses_a_pipe_past_the_limit_without_holding_it(home):
    # 400 MB of zeros in a pipe: read whole, it used to need more than that in memory.
    wrapper = [sys.executable, "-c", PEAK_OF_CHILD, *AFTERGLOW, "voice", "add", "/dev/stdin"]
    feeder = subprocess.Popen(["head", "-c", "400M", "/dev/zero"], stdout=subprocess.PIPE)
    result = subprocess.run(wrapper, stdin=feeder.stdout, env=cli_env(home), capture_output=True, text=True, timeout=120)
    feeder.stdout.close()
    feeder.wait()
    assert "larger than 200 MB" in result.stderr and "Traceback" not in result.stderr
    peak_mb = int(result.stdout.strip()) / 1024
    assert peak_mb < 360, f"peak {peak_mb:.0f} MB"


def test_voice_add_of_music_finishes_with_a_plain_word_and_no_words(home, tmp_path):
    from tests.media.speech import music, wav_bytes

    path = tmp_path / "music.wav"
    path.write_bytes(wav_bytes(music(20)))
    out = ok(run(home, "voice", "add", str(path)))
    assert "sounded like music" in out and "Transcript (" not in out
    voice = [e for e in json.loads(ok(run(home, "list", "--json"))) if e["mode"] == "voice"]
    assert len(voice) == 1 and voice[0]["text"] == ""
