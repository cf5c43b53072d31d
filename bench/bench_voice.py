"""Voice transcription on this machine: real-time factor, peak memory, and word error rate.

    .venv/bin/python bench/bench_voice.py [--long-seconds 120] [--voice en-us+klatt4]

Speech is generated with espeak-ng from a fixed set of plain sentences, decoded in
memory with PyAV (as an upload is) and recognised by the same engine the app uses
(pocketsphinx, or faster-whisper when AFTERGLOW_WHISPER_MODEL is set). Prints:
  * per-sentence and overall word error rate (WER) and word overlap;
  * real-time factor (processing time ÷ audio length; target ≤ 0.5) for short clips
    and for one long recording made of all sentences back to back;
  * peak resident memory of this process, and what loading the engine added.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")

SENTENCES = [
    "today i went for a long walk with my family",
    "the music helped me feel calm and safe",
    "i saw bright colors and a warm light",
    "my body felt heavy and then very light",
    "i want to be kind to myself this week",
    "there was a moment of deep peace",
    "i thought about my mother and my home",
    "the room was quiet and the chair was soft",
    "i felt sad for a while and then it passed",
    "tomorrow i will call a good friend",
]
TARGET_RTF = 0.5


def speak(text: str, voice: str) -> bytes:
    """espeak-ng's WAV as bytes; its temporary file is removed at once."""
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", tmp.name, text], check=True, capture_output=True)
        return Path(tmp.name).read_bytes()


def words(text: str) -> list[str]:
    return [w for w in text.lower().replace(".", " ").split() if w]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def overlap(ref: list[str], hyp: list[str]) -> float:
    pool, found = list(hyp), 0
    for w in ref:
        if w in pool:
            pool.remove(w)
            found += 1
    return found / max(1, len(ref))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def transcribe(engine, data: bytes) -> tuple[str, float, float]:  # type: ignore[no-untyped-def]
    """(text, seconds of audio, seconds spent decoding + recognising), as a job does it."""
    from afterglow.media.voice import audio

    seconds = audio.check(data).seconds  # done at upload time, not by the job: not timed
    started = time.perf_counter()
    text = engine.transcribe(audio.pcm16k(data), seconds, lambda fraction: None)
    return text, seconds, time.perf_counter() - started


def long_recording(clips: list[bytes], seconds: float) -> bytes:
    """The clips back to back (with a short pause) until `seconds` long, as one WAV in memory."""
    import io
    import wave

    from afterglow.media.voice import audio

    pcm = [b"".join(audio.pcm16k(c)) + bytes(audio.RATE // 2 * 2) for c in clips]
    out, total, i = bytearray(), 0.0, 0
    while total < seconds:
        out += pcm[i % len(pcm)]
        total = len(out) / 2 / audio.RATE
        i += 1
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(audio.RATE)
        w.writeframes(bytes(out))
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--long-seconds", type=float, default=120.0)
    parser.add_argument("--voice", default="en-us+klatt4")
    args = parser.parse_args()

    import django

    django.setup()
    from afterglow.media.voice import engines

    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {load:.2f}, Python {platform.python_version()}")
    clips = [speak(s, args.voice) for s in SENTENCES]
    before = rss_mb()
    engine = engines.engine()
    started = time.perf_counter()
    engine.transcribe([bytes(3200)], 0.1, lambda f: None)  # loads the model
    print(f"engine: {engine.name}, model load {time.perf_counter() - started:.2f} s, +{rss_mb() - before:.0f} MB")

    errors = ref_words = 0
    overlaps, audio_s, work_s = [], 0.0, 0.0
    for sentence, clip in zip(SENTENCES, clips, strict=True):
        text, seconds, spent = transcribe(engine, clip)
        ref, hyp = words(sentence), words(text)
        errors += edit_distance(ref, hyp)
        ref_words += len(ref)
        overlaps.append(overlap(ref, hyp))
        audio_s += seconds
        work_s += spent
        print(f"  {edit_distance(ref, hyp) / len(ref):5.0%} WER  {spent / seconds:4.2f} RTF  {sentence!r} → {text!r}")
    short_rtf = work_s / audio_s
    print(f"short clips: {len(clips)} sentences, {audio_s:.1f} s of audio in {work_s:.2f} s: RTF {short_rtf:.2f}")
    mean_overlap = sum(overlaps) / len(overlaps)
    print(f"word error rate {errors / ref_words:.0%} ({errors}/{ref_words} words); mean word overlap {mean_overlap:.0%}")

    long = long_recording(clips, args.long_seconds)
    text, seconds, spent = transcribe(engine, long)
    print(f"long recording: {seconds:.0f} s of audio in {spent:.1f} s: RTF {spent / seconds:.2f}; {len(words(text))} words")
    print(f"peak RSS of this process: {rss_mb():.0f} MB")
    verdict = "met" if max(short_rtf, spent / seconds) <= TARGET_RTF else "NOT met"
    print(f"target RTF ≤ {TARGET_RTF}: {verdict}")


if __name__ == "__main__":
    main()
