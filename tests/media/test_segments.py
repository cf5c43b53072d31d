"""Cutting recordings at pauses (bounded memory on long ones) and joining the pieces' text into paragraphs."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import numpy as np

from afterglow.lib.wer import word_error_rate, word_errors
from afterglow.media.voice import segments
from afterglow.media.voice.segments import Joiner, Piece

RATE = 16_000
rng = np.random.default_rng(7)


def _sound(seconds: float, level: float = 0.1) -> np.ndarray:
    return rng.normal(0, level, int(seconds * RATE))


def _quiet(seconds: float) -> np.ndarray:
    return rng.normal(0, 0.0005, int(seconds * RATE))


def _pcm(samples: np.ndarray, chunk: int = 3000) -> Iterator[bytes]:
    data = (np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes()
    return (data[i : i + chunk] for i in range(0, len(data), chunk))


def _cut(samples: np.ndarray) -> list[Piece]:
    return list(segments.pieces(_pcm(samples)))


def test_it_cuts_at_a_short_pause_once_a_piece_is_long_enough():
    talk = np.concatenate([_quiet(1), _sound(4), _quiet(0.5), _sound(3), _quiet(0.5), _sound(2), _quiet(1)])
    pieces = _cut(talk)
    # The pause after 4 s is too early for a cut; the one after 7.5 s is taken; the end closes the last piece.
    assert [(round(p.start, 1), round(p.end, 1)) for p in pieces] == [(1.0, 8.5), (9.0, 11.0)]
    assert all(not p.forced for p in pieces)
    assert len(pieces[0].samples) / RATE < 7.5 + 2 * segments.MARGIN_SECONDS + 0.1  # within a frame or two


def test_sound_without_pauses_is_cut_no_longer_than_the_longest_piece():
    pieces = _cut(_sound(50))
    assert len(pieces) >= 4 and all(p.forced for p in pieces[:-1])
    assert max(len(p.samples) for p in pieces) / RATE <= segments.LONGEST_SECONDS + 0.05
    assert abs(sum(len(p.samples) for p in pieces) / RATE - 50) < 0.1  # no sound is dropped at the cuts


def test_silence_and_a_click_give_no_piece():
    assert _cut(_quiet(30)) == []
    assert _cut(np.concatenate([_quiet(2), _sound(0.2, 0.5), _quiet(2)])) == []
    assert _cut(np.zeros(RATE * 5)) == []


def test_a_quiet_speaker_in_a_noisy_room_is_still_heard():
    room = rng.normal(0, 0.01, RATE * 12)  # about -40 dBFS of steady noise
    room[RATE * 3 : RATE * 8] += rng.normal(0, 0.06, RATE * 5)  # speech some 15 dB above it
    pieces = _cut(room)
    assert len(pieces) == 1 and abs(pieces[0].start - 3) < 0.2 and abs(pieces[0].end - 8) < 0.2


def test_a_long_recording_is_cut_in_bounded_memory():
    def twenty_minutes() -> Iterator[bytes]:
        for _ in range(20 * 60 // 5):
            yield from _pcm(np.concatenate([_sound(4.4), _quiet(0.6)]), chunk=32000)

    tracemalloc.start()
    count = sum(1 for _ in segments.pieces(twenty_minutes()))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count >= 20 * 60 // 15
    # 20 minutes as 16-bit samples would be 38 MB; only one piece (at most 15 s, ~1 MB as floats) is held.
    assert peak < 8 * 1024 * 1024


def _piece(start: float, end: float, forced: bool = False) -> Piece:
    return Piece(start=start, end=end, samples=np.zeros(1, dtype=np.float32), forced=forced)


def test_pieces_are_joined_into_sentences_and_a_long_pause_makes_a_paragraph():
    joiner = Joiner()
    joiner.add(_piece(0, 6), "i walked to the park")
    joiner.add(_piece(6.5, 12), "The trees were bright.")
    joiner.add(_piece(12.2, 14), "   ")  # a piece with no words changes nothing
    text = joiner.add(_piece(16, 20), "later I slept.")
    assert text == "I walked to the park. The trees were bright.\n\nLater I slept."


def test_a_piece_cut_mid_sound_continues_the_same_sentence():
    joiner = Joiner()
    joiner.add(_piece(0, 15, forced=True), "We sat by the water and my mother.")
    text = joiner.add(_piece(15, 19), "Told me about her garden.")
    assert text == "We sat by the water and my mother told me about her garden."
    joiner.add(_piece(19, 34, forced=True), "Then I said.")
    assert joiner.add(_piece(34, 36), "I was grateful.").endswith("Then I said I was grateful.")


def test_word_error_rate_counts_substitutions_deletions_and_insertions():
    assert word_error_rate("I felt a deep calm.", "i felt a deep calm") == 0
    assert word_errors("I felt a deep calm", "I fell to deep come") == (3, 5)
    assert word_errors("my grandmother's garden", "my grandmother's lovely garden") == (1, 3)
    assert word_error_rate("walk home", "") == 1


def test_a_phrase_looped_by_the_recogniser_is_kept_once_but_real_repetition_stays():
    assert segments.without_loops("la la la la la la") == "la"
    assert segments.without_loops("I see the sea, I see the sea, I see the sea, I see the sea.") == "I see the sea."
    assert segments.without_loops("It was very, very quiet.") == "It was very, very quiet."
    assert segments.without_loops("No, no, no. I said no.") == "No, no, no. I said no."


def test_music_does_not_sound_like_speech_but_speech_with_music_behind_it_does(tmp_path):
    from tests.media.speech import music, speak

    said = np.frombuffer(speak(tmp_path / "said.wav").read_bytes()[44:], dtype=np.int16) / 32768  # 22 kHz is fine here
    behind = music(len(said) / RATE + 1, seed=2)[: len(said)]
    assert segments.sounds_like_speech(said) and segments.sounds_like_speech(said + 0.25 * behind)
    for piece in _cut(np.concatenate([music(20), music(20, seed=1, plucked=True)])):
        assert not segments.sounds_like_speech(piece.samples)
    assert not segments.sounds_like_speech(rng.normal(0, 0.1, RATE * 10))  # a steady hiss
    assert segments.sounds_like_speech(_sound(0.5))  # too short to tell: the recogniser decides


def test_sentences_a_second_apart_are_gathered_into_pieces_of_six_seconds_or_more():
    # People (and espeak-ng) leave about a second between sentences; a piece per sentence (~3.5 s) was the
    # least accurate length (bench/README.md), so such a pause alone no longer ends a piece.
    sentence, between = 3.4, 1.1
    talk = np.concatenate([_quiet(0.5), *[np.concatenate([_sound(sentence), _quiet(between)]) for _ in range(5)]])
    pieces = _cut(talk)
    assert len(pieces) == 3, [(p.start, p.end) for p in pieces]  # two sentences, two, and the last one
    assert all(p.end - p.start >= segments.SHORTEST_SECONDS for p in pieces[:2])
