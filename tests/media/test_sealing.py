"""The sealing of a private entry's recording (clinic mode), without a database: pieces, ranges, the transcriber's copy."""

from __future__ import annotations

import os
import random

import pytest

from afterglow.media.voice import sealing

CONTEXT = "afterglow recording 0f0e of 7"


@pytest.fixture(scope="module")
def sound() -> bytes:
    return os.urandom(3 * sealing.PIECE + 1234)


def test_it_opens_what_it_sealed_and_nothing_of_it_shows(sound):
    key = sealing.new_key()
    sealed = sealing.seal_audio(key, sound, CONTEXT)
    assert len(sealed) == sealing.sealed_size(len(sound)) and sound[5000:5032] not in sealed
    assert sealing.open_audio(key, sealed, len(sound), CONTEXT) == sound
    assert sealing.open_audio(key, sealing.seal_audio(key, b"", CONTEXT), 0, CONTEXT) == b""


@pytest.mark.parametrize("harm", ["swap two pieces", "drop the last piece", "cut the tail", "flip a bit", "other key",
                                  "other recording"])  # fmt: skip
def test_it_refuses_a_sealed_recording_that_was_changed_moved_or_cut(sound, harm):
    key = sealing.new_key()
    sealed = bytearray(sealing.seal_audio(key, sound, CONTEXT))
    stride, context, size = sealing.STRIDE, CONTEXT, len(sound)
    if harm == "swap two pieces":
        sealed[:stride], sealed[stride : 2 * stride] = sealed[stride : 2 * stride], sealed[:stride]
    elif harm == "drop the last piece":
        sealed, size = sealed[: 3 * stride], 3 * sealing.PIECE  # as if the recording had been that long
    elif harm == "cut the tail":
        sealed = sealed[:-100]
    elif harm == "flip a bit":
        sealed[stride + 10] ^= 1
    elif harm == "other key":
        key = sealing.new_key()
    else:
        context = "afterglow recording 0f0e of 8"
    with pytest.raises(sealing.Unreadable):
        sealing.open_audio(key, bytes(sealed), size, context)


def test_it_opens_any_range_from_only_the_pieces_it_covers(sound):
    key = sealing.new_key()
    sealed = sealing.seal_audio(key, sound, CONTEXT)
    rng = random.Random(19)
    for _ in range(60):
        start = rng.randrange(len(sound))
        end = rng.randrange(start, min(len(sound), start + 2 * sealing.PIECE))
        first, offset, length = sealing.span(start, end)
        plain = sealing.open_pieces(key, sealed[offset : offset + length], first, len(sound), CONTEXT)
        skip = start - first * sealing.PIECE
        assert plain[skip : skip + end - start + 1] == sound[start : end + 1]


def test_the_transcribers_copy_opens_only_with_the_same_server_secret(settings):
    handed = sealing.Handed(sealing.new_key(), "Voice note, 27 November 15:44", False, sealing.entry_digest("2:abc"))
    blob = sealing.hand(handed, CONTEXT)
    assert sealing.taken(blob, CONTEXT) == handed
    assert handed.title.encode() not in blob and handed.key not in blob
    assert sealing.taken(blob, "afterglow recording 0f0e of 8") is None  # moved to another recording
    settings.SECRET_KEY = "another server's secret " * 3
    assert sealing.taken(blob, CONTEXT) is None
    assert sealing.taken(b"", CONTEXT) is None
