"""Cutting a recording at its pauses, and joining what was said in each piece back into paragraphs.

Moonshine is trained on short utterances. Measured here on espeak-ng journal
sentences (bench/README.md): pieces of one sentence (~3 s) lose context and get
more words wrong, pieces of 6-12 s are the most accurate, and past ~15 s each
second costs more (RTF 0.34 at 7 s, 0.40 at 11 s, 0.51 at 17 s, 0.78 at 33 s).
So a piece ends at the first short pause once it holds SHORTEST_SECONDS of
sound, at a paragraph's pause (2.5 s) sooner, and at its quietest moment when it reaches
LONGEST_SECONDS (one sentence per piece: 9% of words wrong; two or more: 3%).

The voice detector is energy-based: 30 ms frames, a noise floor followed from
the quietest recent frames, speech where a frame is clearly above it. It reads
the 16 kHz stream as it is decoded and holds at most one piece, so a 60-minute
recording needs no more memory than a 15-second one.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from afterglow.media.voice.audio import RATE

FRAME = RATE * 30 // 1000  # 480 samples, 30 ms
SHORTEST_SECONDS = 6.0
LONGEST_SECONDS = 15.0
# (pause, sound before it): a piece ends at a pause this long once it holds that much sound. A pause of a
# second used to end a piece after 3 s, which in practice cut after every sentence (people, and espeak-ng
# with its own trailing quiet, leave about a second between sentences): pieces averaged 4.7 s, and a lone
# sentence is where Moonshine errs most and is least sure of itself (bench/README.md). Now, short of a
# paragraph's pause, a piece holds SHORTEST_SECONDS of sound first.
PAUSES = ((2.5, 0.0), (0.3, SHORTEST_SECONDS))
# A piece with less sound than this (a click, a cough, a knock) is not sent to the recogniser.
LEAST_SPEECH_SECONDS = 0.3
# Kept around the sound so the first and last words are not clipped.
MARGIN_SECONDS = 0.2
# Between two pieces, a pause this long starts a new paragraph.
PARAGRAPH_SECONDS = 2.5
# Speech or not (sounds_like_speech): the share of 16 ms frames quieter than half the level around them (1 s).
# Talk dips between syllables and words; chords, a beat or a hum hardly ever do. Measured (bench/README.md):
# espeak-ng speech 0.34-0.41, the same speech with music 12 dB under it 0.21-0.25, music of chords with
# harmonics and a beat 0.01-0.03, steady noise 0.00.
DIP_FRAME = RATE * 16 // 1000
DIP_AROUND = RATE // DIP_FRAME  # frames in one second
LEAST_DIPS = 0.10
# The detector: a frame is speech when louder than the noise floor by this much, or than LOUD_DB at any rate.
ABOVE_FLOOR_DB = 12.0
QUIETEST_DB = -55.0
LOUD_DB = -30.0
FLOOR_FRAMES = 300  # the last 9 s
FLOOR_PERCENTILE = 10


@dataclass(frozen=True)
class Piece:
    start: float  # seconds from the beginning of the recording to its first sound
    end: float  # ... and to the end of its last sound
    samples: np.ndarray  # float32 in -1..1, with a small margin of quiet on each side
    forced: bool = False  # cut in the middle of sound, because no pause came in time


def pieces(pcm: Iterable[bytes]) -> Iterator[Piece]:
    """The speech of a 16 kHz mono s16 stream, cut at pauses; silence between pieces is dropped."""
    cutter = _Cutter()
    for frames in _frames(pcm):
        yield from cutter.feed(frames)
    yield from cutter.flush()


def _frames(pcm: Iterable[bytes]) -> Iterator[np.ndarray]:
    """Blocks of whole 30 ms frames (shape n x FRAME, int16); the last partial frame is padded with quiet."""
    rest = b""
    for chunk in pcm:
        data = rest + chunk
        whole = len(data) // (FRAME * 2) * FRAME * 2
        rest = data[whole:]
        if whole:
            yield np.frombuffer(data[:whole], dtype=np.int16).reshape(-1, FRAME)
    if rest:
        last = np.zeros(FRAME, dtype=np.int16)
        tail = np.frombuffer(rest[: len(rest) // 2 * 2], dtype=np.int16)
        last[: len(tail)] = tail
        yield last.reshape(1, FRAME)


def loudness_db(frames: np.ndarray) -> np.ndarray:
    """Each frame's RMS level in dB of full scale (-100 for digital silence)."""
    power = np.mean((frames.astype(np.float64) / 32768.0) ** 2, axis=1)
    return 10.0 * np.log10(np.maximum(power, 1e-10))


class _Cutter:
    def __init__(self) -> None:
        self.recent: deque[float] = deque(maxlen=FLOOR_FRAMES)
        self.threshold = QUIETEST_DB
        self.counted = 0
        self.frames: list[np.ndarray] = []  # the piece being gathered, from its leading margin on
        self.levels: list[float] = []
        self.speech: list[bool] = []
        self.heard = 0  # speech frames in self.frames
        self.first = 0  # index (in frames from the start of the recording) of self.frames[0]
        self.quiet_run = 0

    def feed(self, block: np.ndarray) -> Iterator[Piece]:
        for frame, level in zip(block, loudness_db(block).tolist(), strict=True):
            self._follow_floor(level)
            is_speech = level > self.threshold
            self.frames.append(frame)
            self.levels.append(level)
            self.speech.append(is_speech)
            self.heard += is_speech
            self.quiet_run = 0 if is_speech else self.quiet_run + 1
            yield from self._maybe_cut()

    def flush(self) -> Iterator[Piece]:
        if self.heard:
            yield from self._cut(len(self.frames), forced=False)

    def _follow_floor(self, level: float) -> None:
        self.recent.append(level)
        self.counted += 1
        if self.counted % 10 == 0:  # every 0.3 s is often enough for a floor that follows the last 9 s
            floor = float(np.percentile(self.recent, FLOOR_PERCENTILE))
            self.threshold = max(QUIETEST_DB, min(floor + ABOVE_FLOOR_DB, LOUD_DB))

    def _maybe_cut(self) -> Iterator[Piece]:
        if not self.heard:
            self._drop(len(self.frames) - _frames_in(MARGIN_SECONDS))  # nothing heard yet: keep a margin of quiet
            return
        sound = (len(self.frames) - self.quiet_run) * FRAME / RATE
        quiet = self.quiet_run * FRAME / RATE
        if any(quiet >= pause and sound >= least for pause, least in PAUSES):
            yield from self._cut(len(self.frames) - self.quiet_run + _frames_in(MARGIN_SECONDS), forced=False)
        elif sound + quiet >= LONGEST_SECONDS:
            yield from self._cut(self._quietest_frame(), forced=True)

    def _quietest_frame(self) -> int:
        """Where to cut a piece that found no pause: the quietest 0.1 s in its second half."""
        levels = np.array(self.levels)
        half, window = len(levels) // 2, _frames_in(0.1)
        smooth = np.convolve(levels[half:], np.ones(window) / window, mode="same")
        return half + int(np.argmin(smooth)) + 1

    def _cut(self, at: int, *, forced: bool) -> Iterator[Piece]:
        piece = self._piece(at, forced=forced)
        if piece is not None:
            yield piece
        self._drop(at)
        self.quiet_run = min(self.quiet_run, len(self.frames))

    def _drop(self, count: int) -> None:
        if count <= 0:
            return
        self.heard -= sum(self.speech[:count])
        del self.frames[:count], self.levels[:count], self.speech[:count]
        self.first += count

    def _piece(self, at: int, *, forced: bool) -> Piece | None:
        speech = self.speech[:at]
        if sum(speech) < _frames_in(LEAST_SPEECH_SECONDS):
            return None
        first_sound = speech.index(True)
        last_sound = len(speech) - 1 - speech[::-1].index(True)
        begin = max(0, first_sound - _frames_in(MARGIN_SECONDS))
        samples = np.concatenate(self.frames[begin:at]).astype(np.float32) / 32768.0
        to_seconds = FRAME / RATE
        return Piece(
            start=(self.first + first_sound) * to_seconds, end=(self.first + last_sound + 1) * to_seconds,
            samples=samples, forced=forced,
        )  # fmt: skip


def sounds_like_speech(samples: np.ndarray) -> bool:
    """A cheap check, before the recogniser runs, that a piece is talk rather than music or a steady sound:
    enough of its frames dip well below the level around them (LEAST_DIPS). Only its sounding stretch counts,
    not the quiet margins a piece is given."""
    count = len(samples) // DIP_FRAME
    if count < DIP_AROUND:
        return True  # too short to tell: let the recogniser judge
    frames = samples[: count * DIP_FRAME].astype(np.float64).reshape(count, DIP_FRAME)
    level = np.sqrt(np.mean(frames**2, axis=1))
    loud = np.flatnonzero(level > 0.1 * level.max())
    level = level[loud[0] : loud[-1] + 1]
    if len(level) < DIP_AROUND:
        return True
    around = np.convolve(level, np.ones(DIP_AROUND) / DIP_AROUND, mode="same")
    return float(np.mean(level < 0.5 * around)) >= LEAST_DIPS


def _frames_in(seconds: float) -> int:
    return max(1, round(seconds * RATE / FRAME))


class Joiner:
    """The text of the pieces so far: sentences kept as the recogniser punctuated them, a new
    paragraph after a long pause, and a piece cut mid-sound joined to the next as one sentence."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.last_end: float | None = None
        self.last_forced = False

    def add(self, piece: Piece, text: str) -> str:
        text = without_loops(" ".join(text.split()))
        if text:
            self._add(piece, text)
        return self.text

    def _add(self, piece: Piece, text: str) -> None:
        gap = None if self.last_end is None else piece.start - self.last_end
        self.last_end = piece.end
        if gap is None or gap >= PARAGRAPH_SECONDS:
            if self.paragraphs:
                self.paragraphs[-1] = _closed(self.paragraphs[-1])
            self.paragraphs.append(_capitalised(text))
        elif self.last_forced:
            self.paragraphs[-1] = _continued(self.paragraphs[-1], text)
        else:
            self.paragraphs[-1] = f"{_closed(self.paragraphs[-1])} {_capitalised(text)}"
        self.last_forced = piece.forced

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


# A phrase said four or more times in a row: how a recogniser loops on music or noise, not how people talk.
LOOP = re.compile(r"\b(\w[\w' ]{0,60}?)(?:[\s,.]+\1\b){3,}", re.IGNORECASE)


def without_loops(text: str) -> str:
    """The text with a phrase repeated four or more times in a row kept once."""
    return LOOP.sub(r"\1", text)


def _closed(text: str) -> str:
    return text if text[-1] in ".?!…\"')" else text + "."


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def _continued(before: str, after: str) -> str:
    """One sentence cut in two without a pause: drop the full stop the recogniser guessed and go on in lower case."""
    if before.endswith(".") and not before.endswith(".."):
        before = before[:-1]
    if re.match(r"[A-Z][a-z]", after) and not re.match(r"I\b", after):
        after = after[0].lower() + after[1:]
    return f"{before} {after}"
