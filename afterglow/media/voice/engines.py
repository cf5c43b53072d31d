"""Speech to text on this machine: pocketsphinx's bundled English model, or faster-whisper when configured.

An engine takes 16 kHz mono PCM pieces and reports how far it has got (0.0–1.0)
through `progress`, so the page and the CLI can show a live percentage.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from afterglow.media.voice.audio import RATE

WHISPER_ENV = "AFTERGLOW_WHISPER_MODEL"
BYTES_PER_SECOND = RATE * 2
# Pocketsphinx decodes one utterance at a time; a long recording is cut near pauses at
# most every UTTERANCE_SECONDS, so memory stays flat and progress moves.
UTTERANCE_SECONDS = 20

Progress = Callable[[float], None]


class EngineError(RuntimeError):
    """The recogniser could not run; the message is for the person."""


class Engine(Protocol):
    name: str

    def transcribe(self, pcm: Iterable[bytes], seconds: float, progress: Progress) -> str: ...


class Pocketsphinx:
    name = "pocketsphinx"
    # One decoder per process (loading the model takes ~0.4 s); decoders are not thread-safe.
    _lock = threading.Lock()

    def transcribe(self, pcm: Iterable[bytes], seconds: float, progress: Progress) -> str:
        total = max(1.0, seconds * BYTES_PER_SECOND)
        with self._lock:
            decoder = _sphinx_decoder()
            words: list[str] = []
            done = 0
            for piece in utterances(pcm):
                words.extend(_decode_utterance(decoder, piece))
                done += len(piece)
                progress(min(1.0, done / total))
            return " ".join(words)


@lru_cache(maxsize=1)
def _sphinx_decoder():  # type: ignore[no-untyped-def]
    from pocketsphinx import Decoder

    return Decoder(samprate=RATE, loglevel="FATAL")


def _decode_utterance(decoder, pcm: bytes) -> list[str]:  # type: ignore[no-untyped-def]
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr.split() if hyp and hyp.hypstr else []


def utterances(pcm: Iterable[bytes]) -> Iterator[bytes]:
    """The stream cut into pieces of at most UTTERANCE_SECONDS, each ending at the quietest moment
    of its last three quarters; only one piece is held in memory at a time."""
    step = UTTERANCE_SECONDS * BYTES_PER_SECOND
    buffer = bytearray()
    for chunk in pcm:
        buffer += chunk
        while len(buffer) >= step:
            cut = _quiet_point(bytes(buffer[:step]), step // 4) * 2
            yield bytes(buffer[:cut])
            del buffer[:cut]
    if buffer:
        yield bytes(buffer)


def _quiet_point(pcm: bytes, from_byte: int) -> int:
    """The sample index at or after from_byte/2 with the least energy over 0.1 s windows."""
    import numpy as np

    samples = np.frombuffer(pcm, dtype=np.int16)
    lo, window = from_byte // 2, RATE // 10
    span = samples[lo:].astype(np.float64) ** 2
    if len(span) < window * 2:
        return len(samples)
    energy = np.convolve(span, np.ones(window), mode="valid")
    return lo + int(np.argmin(energy[::160])) * 160 + window // 2


class Whisper:
    """faster-whisper with a model directory on this machine (never downloaded by Afterglow)."""

    name = "whisper"

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir

    def transcribe(self, pcm: Iterable[bytes], seconds: float, progress: Progress) -> str:
        import numpy as np

        model = _whisper_model(str(self.model_dir))
        audio = np.frombuffer(b"".join(pcm), dtype=np.int16).astype(np.float32) / 32768.0
        segments, info = model.transcribe(audio, language="en", vad_filter=True)
        texts = []
        for segment in segments:
            texts.append(segment.text.strip())
            progress(min(1.0, segment.end / max(info.duration, 0.01)))
        return " ".join(t for t in texts if t)


@lru_cache(maxsize=1)
def _whisper_model(model_dir: str):  # type: ignore[no-untyped-def]
    try:
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise EngineError(f"{WHISPER_ENV} is set but faster-whisper is not installed (pip install faster-whisper).") from exc
    return WhisperModel(model_dir, device="cpu", compute_type="int8", local_files_only=True)


def engine() -> Engine:
    """Whisper when AFTERGLOW_WHISPER_MODEL names a model directory; pocketsphinx otherwise."""
    configured = os.environ.get(WHISPER_ENV, "").strip()
    if not configured:
        return Pocketsphinx()
    path = Path(configured).expanduser()
    if not path.is_dir():
        raise EngineError(f"{WHISPER_ENV} points to {path}, which is not a folder with a faster-whisper model.")
    return Whisper(path)
