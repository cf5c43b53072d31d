"""Speech to text on this machine: pocketsphinx's bundled English model, or faster-whisper when configured.

An engine takes 16 kHz mono PCM pieces and reports how far it has got (0.0–1.0)
through `progress`, so the page and the CLI can show a live percentage.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from afterglow.media.voice.audio import RATE

WHISPER_ENV = "AFTERGLOW_WHISPER_MODEL"
BYTES_PER_SECOND = RATE * 2
# Pocketsphinx decodes one utterance at a time; a long recording is cut at pauses
# (or, failing pauses, every UTTERANCE_SECONDS) so memory stays flat and progress moves.
UTTERANCE_SECONDS = 20

Progress = Callable[[float], None]


class EngineError(RuntimeError):
    """The recogniser could not run; the message is for the person."""


class Engine(Protocol):
    name: str

    def transcribe(self, pcm: bytes, progress: Progress) -> str: ...


class Pocketsphinx:
    name = "pocketsphinx"
    # One decoder per process (loading the model takes ~0.4 s); decoders are not thread-safe.
    _lock = threading.Lock()

    def transcribe(self, pcm: bytes, progress: Progress) -> str:
        with self._lock:
            decoder = _sphinx_decoder()
            words: list[str] = []
            for start, piece in _utterances(pcm):
                words.extend(_decode_utterance(decoder, piece))
                progress(min(1.0, (start + len(piece)) / max(1, len(pcm))))
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


def _utterances(pcm: bytes) -> Iterable[tuple[int, bytes]]:
    """(offset, piece) pairs, cut at the quietest moment near each UTTERANCE_SECONDS boundary."""
    import numpy as np

    step = UTTERANCE_SECONDS * BYTES_PER_SECOND
    start = 0
    while start < len(pcm):
        end = min(len(pcm), start + step)
        if end < len(pcm):
            end = _quiet_point(np.frombuffer(pcm, dtype=np.int16), start // 2 + step // 4, end // 2) * 2
        yield start, pcm[start:end]
        start = end


def _quiet_point(samples, lo: int, hi: int) -> int:  # type: ignore[no-untyped-def]
    """The sample index between lo and hi with the least energy over 0.1 s windows."""
    import numpy as np

    window = RATE // 10
    span = samples[lo:hi].astype(np.float64) ** 2
    if len(span) < window * 2:
        return hi
    energy = np.convolve(span, np.ones(window), mode="valid")
    return lo + int(np.argmin(energy[::160])) * 160 + window // 2


class Whisper:
    """faster-whisper with a model directory on this machine (never downloaded by Afterglow)."""

    name = "whisper"

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir

    def transcribe(self, pcm: bytes, progress: Progress) -> str:
        import numpy as np

        model = _whisper_model(str(self.model_dir))
        audio = np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0
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
