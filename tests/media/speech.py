"""Speech for the voice tests: espeak-ng says clear, common words; PyAV re-encodes them in memory."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import av
import numpy as np

# The voice pocketsphinx follows best among espeak-ng's (measured; see bench/README.md).
VOICE = ["-v", "en-us+klatt4", "-s", "150"]
SENTENCE = "today i went for a long walk with my family and the music helped me feel calm"
# Measured on this sentence: pocketsphinx hears 41-53% of its 17 words, depending on the format.
MIN_OVERLAP = 0.35

# (extension, container format, codec, sample rate)
FORMATS = {
    "ogg": ("ogg", "libopus", 48000),
    "webm": ("webm", "libopus", 48000),
    "mp3": ("mp3", "libmp3lame", 44100),
    "m4a": ("ipod", "aac", 44100),
}


def speak(path: Path, text: str = SENTENCE) -> Path:
    subprocess.run(["espeak-ng", *VOICE, "-w", str(path), text], check=True, capture_output=True)
    return path


def encode(wav: bytes, ext: str) -> bytes:
    """The same speech in another container and codec."""
    fmt, codec, rate = FORMATS[ext]
    out = io.BytesIO()
    with av.open(io.BytesIO(wav)) as src, av.open(out, mode="w", format=fmt) as dst:
        stream = dst.add_stream(codec, rate=rate, layout="mono")
        resampler = av.AudioResampler(format=stream.codec_context.format, layout="mono", rate=rate)
        for frame in src.decode(audio=0):
            for piece in resampler.resample(frame):
                for packet in stream.encode(piece):
                    dst.mux(packet)
        for piece in resampler.resample(None):
            for packet in stream.encode(piece):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    return out.getvalue()


def wav_bytes(samples: np.ndarray, rate: int = 16000) -> bytes:
    """A mono 16-bit WAV made from samples in -1..1."""
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return out.getvalue()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def overlap(said: str, heard: str) -> float:
    """Share of the spoken words found in the transcript (each counted once per occurrence)."""
    pool = words(heard)
    found = 0
    for word in words(said):
        if word in pool:
            pool.remove(word)
            found += 1
    return found / max(1, len(words(said)))
