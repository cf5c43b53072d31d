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


CHORDS = ([0, 4, 7], [9, 12, 16], [5, 9, 12], [7, 11, 14])  # I-vi-IV-V, in semitones above the root


def music(seconds: float, seed: int = 0, plucked: bool = False, rate: int = 16000) -> np.ndarray:
    """Music with no voice in it, samples in -1..1: a chord a bar (2 s) of tones with six or seven harmonics,
    held like a pad or struck like a guitar's arpeggio, over a kick drum on each beat (120 a minute) and a
    hi-hat between. `seed` picks the key."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    out = np.zeros(n)
    root, beat, bar = 220 * 2 ** (int(rng.integers(-3, 4)) / 12), 0.5, 2.0
    for k, start in enumerate(np.arange(0, seconds, bar)):
        a, b = int(start * rate), min(n, int((start + bar) * rate))
        tt = t[a:b] - start
        for j, semitone in enumerate(CHORDS[k % len(CHORDS)]):
            f = root * 2 ** (semitone / 12)
            if plucked:
                for on in np.arange(j * beat / 3, bar, beat):
                    s = int(on * rate)
                    seg = tt[s:] - on
                    tone = sum(np.sin(2 * np.pi * f * h * seg) / h**1.5 for h in range(1, 7))
                    out[a + s : b] += 0.12 * tone * np.exp(-seg * 4)
            else:
                tone = sum(np.sin(2 * np.pi * f * h * tt + h) / h for h in range(1, 8))
                out[a:b] += 0.08 * tone * np.minimum(1, tt * 8) * np.minimum(1, (bar - tt) * 8)
    for on in np.arange(0, seconds, beat):
        s = int(on * rate)
        m = min(n - s, int(0.25 * rate))
        seg = np.arange(m) / rate
        out[s : s + m] += 0.5 * np.sin(2 * np.pi * (50 + 100 * np.exp(-seg * 30)) * seg) * np.exp(-seg * 12)
        s2 = int((on + beat / 2) * rate)
        m2 = min(n - s2, int(0.05 * rate))
        if m2 > 0:
            out[s2 : s2 + m2] += 0.1 * rng.normal(0, 1, m2) * np.exp(-np.arange(m2) / rate * 80)
    return out / np.max(np.abs(out)) * 0.6
