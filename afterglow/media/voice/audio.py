"""Reading a recording in memory: check it is real, readable, not silent, not too long; decode it for recognition.

PyAV (FFmpeg's libraries, bundled in its wheel) reads WAV, Ogg/Opus, WebM, MP3 and
M4A from a BytesIO, so audio never touches the disk outside the encrypted journal.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import av
import numpy as np

from afterglow.lib.errors import UserError

RATE = 16_000  # what the recognisers expect: 16 kHz, mono, signed 16-bit
MAX_SECONDS = 60 * 60
MAX_BYTES = 200 * 1024 * 1024
# Below this peak (of full scale) a recording holds nothing anyone could hear.
SILENCE_PEAK = 0.01

# What each container is called when we tell a browser how to play it back.
CONTENT_TYPES = {
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "webm": "audio/webm",
    "matroska,webm": "audio/webm",
    "mp3": "audio/mpeg",
    "mov,mp4,m4a,3gp,3g2,mj2": "audio/mp4",
    "flac": "audio/flac",
}


class AudioError(UserError, ValueError):
    """A recording we cannot take; the message is for the person."""


@dataclass(frozen=True)
class Checked:
    seconds: float
    content_type: str
    peak: float


def check(data: bytes) -> Checked:
    """Decode the whole recording once: refuse what is not audio, corrupt, silent or too long."""
    if len(data) > MAX_BYTES:
        raise AudioError(too_big_message())
    if not data:
        raise AudioError("The recording is empty. Nothing was saved; please record again.")
    seconds, peak = 0.0, 0.0
    with _open(data) as container:
        stream = container.streams.audio[0]
        for frame in _frames(container, stream):
            seconds += frame.samples / (frame.sample_rate or RATE)
            if seconds > MAX_SECONDS:
                raise AudioError("This recording is longer than 60 minutes. Please split it into shorter parts.")
            peak = max(peak, _peak(frame))
        content_type = CONTENT_TYPES.get(container.format.name, "application/octet-stream")
    if seconds < 0.1:
        raise AudioError("This file holds no sound we could play. Nothing was saved.")
    if peak < SILENCE_PEAK:
        raise AudioError("This recording seems to be silent — perhaps the microphone was muted. Nothing was saved.")
    return Checked(seconds=seconds, content_type=content_type, peak=peak)


def too_big_message() -> str:
    return "This file is larger than 200 MB. Please split it into shorter recordings."


def pcm16k(data: bytes) -> Iterator[bytes]:
    """The recording as 16 kHz mono signed 16-bit PCM, a piece at a time."""
    with _open(data) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        for frame in _frames(container, stream):
            for out in resampler.resample(frame):
                yield out.to_ndarray().tobytes()
        for out in resampler.resample(None):
            yield out.to_ndarray().tobytes()


class _open:
    """av.open on bytes in memory, with FFmpeg's complaints turned into a sentence."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __enter__(self) -> av.container.InputContainer:
        try:
            self.container = av.open(io.BytesIO(self.data), mode="r")
        except (av.FFmpegError, ValueError, OSError) as exc:
            raise AudioError("This file is not a recording we can read (WAV, Ogg, WebM, MP3 or M4A). Nothing was saved.") from exc
        if not self.container.streams.audio:
            self.container.close()
            raise AudioError("This file has no sound in it. Nothing was saved.")
        return self.container

    def __exit__(self, *exc: object) -> None:
        self.container.close()


def _frames(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> Iterator[av.AudioFrame]:
    try:
        yield from container.decode(stream)
    except (av.FFmpegError, ValueError, OSError) as exc:
        raise AudioError("This recording is damaged and cannot be played. Nothing was saved.") from exc


def _peak(frame: av.AudioFrame) -> float:
    samples = frame.to_ndarray()
    if samples.size == 0:
        return 0.0
    if samples.dtype.kind == "f":
        return float(np.max(np.abs(samples)))
    info = np.iinfo(samples.dtype.type)  # type: ignore[type-var]  # an integer dtype here
    return float(np.max(np.abs(samples.astype(np.int64)))) / max(abs(info.min), info.max)
