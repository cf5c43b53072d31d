"""Speech to text on this machine: Moonshine base-en (from the moonshine-cpp wheel) by default,
pocketsphinx's bundled English model where that wheel does not install, faster-whisper when configured.

An engine takes 16 kHz mono PCM pieces and reports how far it has got (0.0–1.0)
through `progress`, so the page and the CLI can show a live percentage; Moonshine
also passes the text so far, so the page shows words while the rest is worked on.
Nothing here downloads anything: every model is a folder on this computer.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from afterglow.media.voice import segments
from afterglow.media.voice.audio import RATE

WHISPER_ENV = "AFTERGLOW_WHISPER_MODEL"
BYTES_PER_SECOND = RATE * 2
# Pocketsphinx decodes one utterance at a time; a long recording is cut near pauses at
# most every UTTERANCE_SECONDS, so memory stays flat and progress moves.
UTTERANCE_SECONDS = 20

# The English model inside the moonshine-cpp wheel, loaded by explicit file paths only: the package also
# knows how to fetch other languages' models from the internet, a path Afterglow never takes.
MOONSHINE_PACKAGE = "moonshine_cpp"
MOONSHINE_MODEL = "base-en"
MOONSHINE_FILES = ("encoder_model.ort", "decoder_model_merged.ort", "tokenizer.bin")
# Moonshine's runtime aborts the whole process on input shorter than its first convolution; a piece
# shorter than this is padded with quiet (which it transcribes as nothing).
MOONSHINE_SHORTEST = RATE


class Progress(Protocol):
    def __call__(self, fraction: float, text: str | None = None) -> None: ...


class EngineError(RuntimeError):
    """The recogniser could not run; the message is for the person."""


class Engine(Protocol):
    name: str  # recorded with each transcript, with the model
    model: str

    def transcribe(self, pcm: Iterable[bytes], seconds: float, progress: Progress) -> str: ...


class Moonshine:
    """Moonshine base-en, one piece of speech at a time (pieces cut at pauses, see segments.py)."""

    name = "moonshine"
    model = MOONSHINE_MODEL

    def transcribe(self, pcm: Iterable[bytes], seconds: float, progress: Progress) -> str:
        model = moonshine_model()
        joiner = segments.Joiner()
        for piece in segments.pieces(pcm):
            text = joiner.add(piece, model.transcribe(piece.samples))
            progress(min(1.0, piece.end / max(seconds, 0.01)), text)
        return joiner.text


class MoonshineModel:
    """The model files opened once; transcribe() is called by one thread at a time."""

    def __init__(self, folder: Path) -> None:
        missing = [name for name in MOONSHINE_FILES if not (folder / name).is_file()]
        if missing:
            raise EngineError("The speech model that comes with Moonshine is incomplete; reinstall Afterglow's dependencies.")
        import moonshine_cpp

        self._lib = moonshine_cpp.moonshine_lib
        encoder, decoder, tokenizer = (str(folder / name) for name in MOONSHINE_FILES)
        self._model = moonshine_cpp.MoonshineModel(
            py_encoder_model_path=encoder, py_decoder_model_path=decoder, py_tokenizer_path=tokenizer, model_type="base"
        )
        self._lock = threading.Lock()

    def transcribe(self, samples: np.ndarray) -> str:
        if len(samples) < MOONSHINE_SHORTEST:
            samples = np.pad(samples, (0, MOONSHINE_SHORTEST - len(samples)))
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        # The package's own transcribe() does not run (it names ctypes.c_float_p, which does not exist),
        # so the library is called directly, as that method means to.
        text = ctypes.c_char_p()
        with self._lock:
            error = self._lib.moonshine_transcribe(
                self._model.model_handle, audio.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), audio.size, ctypes.byref(text)
            )
            if error != 0:
                raise EngineError("Moonshine could not transcribe a part of this recording.")
            try:
                return (text.value or b"").decode("utf-8", errors="replace").strip()
            finally:
                self._lib.moonshine_free_text(text)


def moonshine_folder() -> Path:
    spec = importlib.util.find_spec(MOONSHINE_PACKAGE)
    if spec is None or spec.origin is None:
        raise EngineError("Moonshine is not installed on this computer.")
    return Path(spec.origin).parent / "models" / MOONSHINE_MODEL


@lru_cache(maxsize=1)
def moonshine_model() -> MoonshineModel:
    """Loaded once per process (~1.5 s, ~250 MB) and kept for every job after."""
    try:
        return MoonshineModel(moonshine_folder())
    except (OSError, MemoryError, AssertionError) as exc:
        raise EngineError("The Moonshine speech model could not be loaded on this computer.") from exc


@lru_cache(maxsize=1)
def moonshine_installed() -> bool:
    """The wheel is there and its libraries load (it exists for Linux x86-64 only)."""
    if importlib.util.find_spec(MOONSHINE_PACKAGE) is None:
        return False
    try:
        import moonshine_cpp  # noqa: F401  # loads its bundled ONNX Runtime: fails on a machine it was not built for
    except (ImportError, OSError):
        return False
    return True


class Pocketsphinx:
    name = "pocketsphinx"
    model = "en-us"
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
        self.model = model_dir.name[:60]  # the folder's name, never its full path

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


# How each engine is named to the person, on the page and in the CLI.
NAMES = {Moonshine.name: "Moonshine", Pocketsphinx.name: "PocketSphinx", Whisper.name: "faster-whisper"}


def describe(name: str, model: str) -> str:
    """ "Moonshine (model base-en)": which recogniser made a transcript, in words."""
    label = NAMES.get(name, name)
    return f"{label} (model {model})" if model else label


def engine() -> Engine:
    """Whisper when AFTERGLOW_WHISPER_MODEL names a model directory; Moonshine where it installs; pocketsphinx otherwise."""
    configured = os.environ.get(WHISPER_ENV, "").strip()
    if not configured:
        return Moonshine() if moonshine_installed() else Pocketsphinx()
    path = Path(configured).expanduser()
    if not path.is_dir():
        raise EngineError(f"{WHISPER_ENV} points to {path}, which is not a folder with a faster-whisper model.")
    return Whisper(path)
