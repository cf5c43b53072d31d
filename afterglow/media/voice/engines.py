"""Speech to text on this machine: Moonshine base-en (from the moonshine-cpp wheel) by default,
pocketsphinx's bundled English model where that wheel does not install, faster-whisper when configured.

An engine takes 16 kHz mono PCM pieces and reports how far it has got (0.0–1.0)
through `progress`, so the page and the CLI can show a live percentage; Moonshine
also passes the text so far, so the page shows words while the rest is worked on.
Nothing here downloads anything: every model is a folder on this computer.
"""

from __future__ import annotations

import ctypes
import gc
import importlib.util
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from afterglow.media.voice import segments
from afterglow.media.voice.audio import RATE

if TYPE_CHECKING:
    import onnxruntime

WHISPER_ENV = "AFTERGLOW_WHISPER_MODEL"
BYTES_PER_SECOND = RATE * 2
# Pocketsphinx decodes one utterance at a time; a long recording is cut near pauses at
# most every UTTERANCE_SECONDS, so memory stays flat and progress moves.
UTTERANCE_SECONDS = 20

# The English model inside the moonshine-cpp wheel, opened by explicit file paths only. That package's
# Python module also knows how to fetch other languages' models from the internet; Afterglow never
# imports it, so that path cannot be taken.
MOONSHINE_PACKAGE = "moonshine_cpp"
MOONSHINE_ENV = "AFTERGLOW_MOONSHINE_MODEL"
MOONSHINE_MODEL = "base-en"
MOONSHINE_FILES = ("encoder_model.ort", "decoder_model_merged.ort", "tokenizer.bin")
MOONSHINE_START, MOONSHINE_END, MOONSHINE_FIRST_TEXT_TOKEN = 1, 2, 3
# Speech holds fewer tokens than this a second; the bound also ends a decoder that repeats itself.
MOONSHINE_TOKENS_PER_SECOND = 6.5
# The encoder refuses input shorter than its first convolutions; shorter pieces are padded with quiet
# (which it transcribes as nothing).
MOONSHINE_SHORTEST = RATE
# ONNX Runtime's threads for one recognition: more than two gains little on a model this size.
MOONSHINE_THREADS = 2
# How sure Moonshine is of what it wrote for a piece: the mean natural-log probability it gave each token it
# chose (its end mark included). Measured with bench/bench_voice.py --languages on espeak-ng journal sentences
# cut as a job cuts them: English pieces (2 voices x 2 speeds) stay above -0.48; German, Spanish, French and
# Italian pieces that come out as English-looking sentences fall to -0.65 or below, or come out empty.
# Short English fragments sit lower (a 3.5 s window cut mid-word from a looping recording, as the browser
# tests' fake microphone gives: one of 15 at -0.60), so the line is drawn just above the other languages.
# A piece below this is left out of the transcript (see Heard.unsure).
MOONSHINE_LEAST_CONFIDENCE = -0.62
# ... but only for a piece with this much sound: on shorter ones the confidence says little (English cut to
# 3.3 s by the browser tests' fake microphone, through Opus, came out at -0.70 with half its words right).
MOONSHINE_JUDGED_SECONDS = 4.0
# A piece with this much speech-like sound that comes out with no words is a piece the model did not follow
# (measured: French or Spanish sentences often end at once), not silence.
MOONSHINE_WORDLESS_SECONDS = 1.5


class Progress(Protocol):
    def __call__(self, fraction: float, text: str | None = None) -> None: ...


class EngineError(RuntimeError):
    """The recogniser could not run; the message is for the person."""


class Engine(Protocol):
    name: str  # recorded with each transcript, with the model
    model: str

    def transcribe(self, pcm: Iterable[bytes], seconds: float, progress: Progress) -> str: ...


@dataclass
class Doubts:
    """What a transcription left out, in seconds of sound, so the page can say why words are missing."""

    heard: float = 0.0  # sound that went to the recogniser
    unsure: float = 0.0  # ... of which the recogniser was unsure (not like English to it): its words left out
    not_speech: float = 0.0  # sound that did not sound like speech (music, a steady hum): never recognised


@dataclass(frozen=True)
class Heard:
    text: str
    confidence: float  # mean log-probability of the tokens chosen, end mark included (0 = certain)
    ran_out: bool  # stopped by the token bound rather than by its end mark: it was looping (shown by the bench)

    def unsure(self, speech_seconds: float) -> bool:
        """Moonshine's words for this piece are not to be trusted: low confidence, or no words for a good
        stretch of speech. English pieces measured never are (bench/README.md). A loop to the token bound
        alone is not reason enough: English cut mid-word (a paused recording) can loop with confidence,
        and the joiner keeps a looped phrase once."""
        if not self.text:
            return speech_seconds >= MOONSHINE_WORDLESS_SECONDS
        return speech_seconds >= MOONSHINE_JUDGED_SECONDS and self.confidence < MOONSHINE_LEAST_CONFIDENCE


class Moonshine:
    """Moonshine base-en, one piece of speech at a time (pieces cut at pauses, see segments.py).

    A piece that does not sound like speech (segments.sounds_like_speech: music, a hum) is skipped before
    the model runs, so an hour of music costs seconds, and nothing is made up for it. A piece whose words
    the model is unsure of (another language, mostly) is left out rather than marked: its words are not
    the person's, and an English-looking sentence that was never said would be found by search and read
    back as theirs. `doubts` says how much was left out, for the note's remark; the recording is kept."""

    name = "moonshine"
    model = MOONSHINE_MODEL

    def __init__(self) -> None:
        self.doubts = Doubts()

    def transcribe(self, pcm: Iterable[bytes], seconds: float, progress: Progress) -> str:
        model: MoonshineModel | None = None  # loaded at the first piece of talk: not at all for an hour of music
        joiner = segments.Joiner()
        self.doubts = doubts = Doubts()
        for piece in segments.pieces(pcm):
            length = len(piece.samples) / RATE
            if not segments.sounds_like_speech(piece.samples):
                doubts.not_speech += length
                progress(min(1.0, piece.end / max(seconds, 0.01)))
                continue
            model = model or moonshine_model()
            heard = model.hear(piece.samples)
            doubts.heard += length
            if heard.unsure(piece.end - piece.start):
                doubts.unsure += length
                progress(min(1.0, piece.end / max(seconds, 0.01)))
                continue
            text = joiner.add(piece, heard.text)
            progress(min(1.0, piece.end / max(seconds, 0.01)), text)
        return joiner.text


class MoonshineModel:
    """Moonshine base-en run by ONNX Runtime: the encoder once per piece, then the decoder one token at a
    time (greedy, with its key/value cache), the tokens turned back into text by the model's own table.

    libmoonshine, the C++ library in the same wheel, gives the same words but keeps ~8 MB for every token
    it writes and never gives it back (measured: 1.5 GB after a one-minute note), so a long recording
    would exhaust memory; it is not used. Only the model files are taken from the wheel.
    """

    def __init__(self, folder: Path) -> None:
        missing = [name for name in MOONSHINE_FILES if not (folder / name).is_file()]
        if missing:
            raise EngineError("The Moonshine speech model on this computer is incomplete; reinstall Afterglow's dependencies.")
        import onnxruntime

        options = session_options()
        encoder, decoder, tokenizer = (folder / name for name in MOONSHINE_FILES)
        cpu = ["CPUExecutionProvider"]
        self.encoder = onnxruntime.InferenceSession(str(encoder), options, providers=cpu)
        self.decoder = onnxruntime.InferenceSession(str(decoder), options, providers=cpu)
        self.cache = [i for i in self.decoder.get_inputs() if i.name.startswith("past_key_values.")]
        logits, *present = (o.name for o in self.decoder.get_outputs())
        # (cache input, the output that feeds it): all of them from the first step; from later steps only the
        # decoder's own (self-attention) ones, since the cross-attention cache never changes. Asking ONNX
        # Runtime for fewer outputs spares copying the cross-attention cache (~1 MB a layer) out every token.
        pairs = list(zip((i.name for i in self.cache), present, strict=True))
        self.feeds = {True: pairs, False: [(name, out) for name, out in pairs if ".decoder." in name]}
        self.outputs = {first: [logits, *(out for _, out in self.feeds[first])] for first in (True, False)}
        self.tokens = read_tokens(tokenizer.read_bytes())
        self._lock = threading.Lock()

    def transcribe(self, samples: np.ndarray) -> str:
        return self.hear(samples).text

    def hear(self, samples: np.ndarray) -> Heard:
        """The piece's text, with how sure the model was of it."""
        if len(samples) < MOONSHINE_SHORTEST:
            samples = np.pad(samples, (0, MOONSHINE_SHORTEST - len(samples)))
        audio = np.ascontiguousarray(samples, dtype=np.float32)[None, :]
        most = int(np.ceil(audio.shape[1] / RATE * MOONSHINE_TOKENS_PER_SECOND))
        with self._lock:
            ids, sureness = self._generate(audio, most)
        pieces = b"".join(self.tokens[i] for i in ids if i >= MOONSHINE_FIRST_TEXT_TOKEN and i < len(self.tokens))
        text = pieces.decode("utf-8", errors="replace").replace("\u2581", " ").strip()
        return Heard(text=text, confidence=float(np.mean(sureness)), ran_out=len(ids) >= most)

    def _generate(self, audio: np.ndarray, most: int) -> tuple[list[int], list[float]]:
        """Greedy decoding: the tokens chosen, and the log-probability the model gave each (end mark included)."""
        hidden = self.encoder.run(None, {"input_values": audio})[0]
        inputs = {i.name: np.zeros((1, i.shape[1], 0, i.shape[3]), dtype=np.float32) for i in self.cache}
        inputs["encoder_hidden_states"] = hidden
        ids: list[int] = []
        sureness: list[float] = []
        token = MOONSHINE_START
        for step in range(most):
            first = step == 0
            inputs["input_ids"] = np.array([[token]], dtype=np.int64)
            inputs["use_cache_branch"] = np.array([not first])
            logits, *present = self.decoder.run(self.outputs[first], inputs)
            row = logits[0, -1]
            token = int(row.argmax())
            sureness.append(log_probability(row, token))
            if token == MOONSHINE_END:
                break
            ids.append(token)
            # One token at a time: the keys and values of the tokens so far come back and go in again.
            for (name, _), value in zip(self.feeds[first], present, strict=True):
                inputs[name] = value
        return ids, sureness


def log_probability(logits: np.ndarray, token: int) -> float:
    """log softmax(logits)[token], computed stably (~30 µs for Moonshine's 32,768 tokens)."""
    row = logits.astype(np.float64)
    top = float(row.max())
    return float(row[token]) - top - float(np.log(np.exp(row - top).sum()))


def session_options() -> onnxruntime.SessionOptions:
    """ONNX Runtime's settings for a small machine shared with the web server.

    One thread per core, at most MOONSHINE_THREADS; its worker threads sleep when idle rather than spin
    (spinning burns a core the web pages and the other jobs need, and on a loaded machine makes the job
    slower, not faster); every graph optimisation on; the memory arena kept (without it recognition
    was four times slower, bench/README.md); no memory pattern: ONNX Runtime plans and keeps a block for
    each input shape it has seen, and the decoder's cache grows by one token at every step, so those plans
    only pile up (measured: 682 MB resident with them, 478 MB without, for ~6 % more processor time).
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only; nothing it logs holds words
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.intra_op_num_threads = max(1, min(MOONSHINE_THREADS, os.cpu_count() or 1))
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = True
    options.enable_mem_pattern = False
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


def read_tokens(table: bytes) -> list[bytes]:
    """The model's token table (tokenizer.bin): each token's bytes after its length, one byte or, from 128
    on, two (seven bits each, low first). Ids 3-258 are the raw bytes; "\u2581" marks a word's start."""
    tokens, at = [], 0
    while at < len(table):
        length = table[at]
        at += 1
        if length >= 0x80:
            length = (length & 0x7F) | (table[at] << 7)
            at += 1
        tokens.append(table[at : at + length])
        at += length
    if at != len(table) or len(tokens) < MOONSHINE_FIRST_TEXT_TOKEN:
        raise EngineError("The Moonshine speech model on this computer is damaged; reinstall Afterglow's dependencies.")
    return tokens


def moonshine_folder() -> Path:
    """AFTERGLOW_MOONSHINE_MODEL when set (the three files copied from the wheel, for a machine it does not
    install on); otherwise the folder inside the installed moonshine-cpp package, found without importing it."""
    configured = os.environ.get(MOONSHINE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    spec = importlib.util.find_spec(MOONSHINE_PACKAGE)
    if spec is None or spec.origin is None:
        raise EngineError("Moonshine is not installed on this computer.")
    return Path(spec.origin).parent / "models" / MOONSHINE_MODEL


@lru_cache(maxsize=1)
def moonshine_model() -> MoonshineModel:
    """Loaded once per process (~1 s) and kept for every job after."""
    try:
        return MoonshineModel(moonshine_folder())
    except (OSError, RuntimeError) as exc:
        if isinstance(exc, EngineError):
            raise
        raise EngineError("The Moonshine speech model could not be loaded on this computer.") from exc


def warm() -> None:
    """Load the default recogniser's model now, in the worker, rather than when the first note arrives, and
    run it once over a second of quiet: ONNX Runtime sets up its memory and kernels on the first run, so a
    person's first note then takes no longer than any later one."""
    try:
        if isinstance(engine(), Moonshine):
            moonshine_model().transcribe(np.zeros(MOONSHINE_SHORTEST, dtype=np.float32))
    except EngineError:
        pass  # the first job says what is wrong, on the note's page


def loaded() -> bool:
    """The Moonshine model is in this process's memory."""
    return moonshine_model.cache_info().currsize > 0


def release() -> None:
    """Let go of the model (~300 MB resident, more with ONNX Runtime's memory): the worker calls this when the
    journal locks, and warm() loads it again at the next unlock. The C library's allocator is then asked to
    hand freed memory back to the system, which it otherwise keeps for the process."""
    if not loaded():
        return
    moonshine_model.cache_clear()
    gc.collect()
    _trim_heap()


def _trim_heap() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, macOS): the memory is still freed, just kept by the process
        pass


@lru_cache(maxsize=1)
def moonshine_installed() -> bool:
    """ONNX Runtime loads here and the model files are there (the moonshine-cpp wheel is for Linux x86-64 only)."""
    try:
        folder = moonshine_folder()
        import onnxruntime  # noqa: F401
    except (EngineError, ImportError, OSError):
        return False
    return all((folder / name).is_file() for name in MOONSHINE_FILES)


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
        self.doubts = Doubts()

    def transcribe(self, pcm: Iterable[bytes], seconds: float, progress: Progress) -> str:
        # The same pieces as Moonshine's: one piece of audio in memory at a time, and words as they come;
        # what does not sound like talk is skipped, as for Moonshine.
        model = _whisper_model(str(self.model_dir))
        joiner = segments.Joiner()
        self.doubts = Doubts()
        for piece in segments.pieces(pcm):
            if not segments.sounds_like_speech(piece.samples):
                self.doubts.not_speech += len(piece.samples) / RATE
                progress(min(1.0, piece.end / max(seconds, 0.01)))
                continue
            self.doubts.heard += len(piece.samples) / RATE
            found, _ = model.transcribe(piece.samples, language="en", condition_on_previous_text=False)
            text = joiner.add(piece, " ".join(part.text.strip() for part in found))
            progress(min(1.0, piece.end / max(seconds, 0.01)), text)
        return joiner.text


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
