"""Reading recordings in memory: every format we promise, and a clear refusal for the rest."""

from __future__ import annotations

import numpy as np
import pytest

from afterglow.media.voice import audio
from tests.media.speech import encode, wav_bytes

FORMATS = [("ogg", "audio/ogg"), ("webm", "audio/webm"), ("mp3", "audio/mpeg"), ("m4a", "audio/mp4")]


@pytest.mark.parametrize("ext, content_type", FORMATS)
def test_it_reads_each_promised_format(speech_wav, ext, content_type):
    checked = audio.check(encode(speech_wav, ext))
    assert checked.content_type == content_type
    assert checked.seconds == pytest.approx(audio.check(speech_wav).seconds, abs=0.1)


def test_it_decodes_to_16k_mono_16_bit(speech_wav):
    pcm = b"".join(audio.pcm16k(speech_wav))
    assert len(pcm) / 2 / audio.RATE == pytest.approx(audio.check(speech_wav).seconds, abs=0.05)


@pytest.mark.parametrize("data", [b"just some text, not sound " * 40, b"\x89PNG\r\n\x1a\n" + bytes(2000)])
def test_it_refuses_what_is_not_audio(data):
    with pytest.raises(audio.AudioError, match=r"not a recording we can read|no sound in it"):
        audio.check(data)


def test_it_refuses_a_recording_cut_off_before_any_sound(speech_wav):
    with pytest.raises(audio.AudioError):
        audio.check(speech_wav[:60])


def test_it_refuses_an_empty_upload():
    with pytest.raises(audio.AudioError, match="empty"):
        audio.check(b"")


def test_it_refuses_silence():
    with pytest.raises(audio.AudioError, match="silent"):
        audio.check(wav_bytes(np.zeros(16000 * 3)))


def test_quiet_room_noise_is_still_silence_but_soft_speech_is_not():
    rng = np.random.default_rng(1)
    with pytest.raises(audio.AudioError, match="silent"):
        audio.check(wav_bytes(rng.normal(0, 0.001, 16000 * 2)))
    assert audio.check(wav_bytes(rng.normal(0, 0.02, 16000 * 2))).seconds == pytest.approx(2.0)


def test_it_refuses_recordings_over_the_length_limit(speech_wav, monkeypatch):
    monkeypatch.setattr(audio, "MAX_SECONDS", 3)
    with pytest.raises(audio.AudioError, match="longer than 60 minutes"):
        audio.check(speech_wav)


def test_it_refuses_files_over_the_size_limit(speech_wav, monkeypatch):
    monkeypatch.setattr(audio, "MAX_BYTES", len(speech_wav) - 1)
    with pytest.raises(audio.AudioError, match="200 MB"):
        audio.check(speech_wav)


def test_it_refuses_a_recording_damaged_inside(speech_wav):
    data = bytearray(encode(speech_wav, "m4a"))
    middle = len(data) // 3
    data[middle : middle + 2000] = np.random.default_rng(7).bytes(2000)
    with pytest.raises(audio.AudioError, match="damaged"):
        audio.check(bytes(data))
