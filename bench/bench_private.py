"""What sealing private entries costs in a clinic (issue 19 item 4), in process, with no database.

Prints the median of several runs, with the load average:
  * sealing one entry's words (what each autosave of a private entry adds), and opening one
    (what each private row read by its patient adds; a timeline page of 50 private entries
    opens 50): sealed by the patient's own request, and sealed to the public key by a job;
  * the search of 200 private entries opened in the app;
  * unwrapping the key at sign-in (Argon2id at the vault's fixed parameters);
  * a private entry's 5-minute recording: sealing it under its own key (what marking it private,
    or uploading it as private, adds), opening it whole (playing it from the start, an export,
    the transcriber), and opening the 64 KiB a seek in the player asks for. Opus at 32 kbit/s
    (the browser's recorder) and 16 kHz 16-bit WAV (an upload).

    .venv/bin/python bench/bench_private.py
"""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid

from afterglow.journal import private
from afterglow.media.voice import sealing
from afterglow.vault import crypto

RUNS = 7
FIVE_MINUTES = {"Opus 32 kbit/s, 1.2 MB": 300 * 32_000 // 8, "WAV 16 kHz, 9.6 MB": 300 * 16_000 * 2}
TEXT = "A long walk by the river after the session, and the heaviness lifted a little. " * 25  # ~2,000 characters


def median_ms(work, repeat: int = 1) -> float:
    """The median, over RUNS runs, of the milliseconds one `work()` takes (`repeat` calls per run)."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in range(repeat):
            work()
        times.append((time.perf_counter() - start) * 1000 / repeat)
    return statistics.median(times)


def main() -> None:
    secret, public = private.new_key_pair()
    words = json.dumps({"title": "", "text": TEXT}).encode()
    context = f"afterglow entry {uuid.uuid4()} of 1"
    sealed = private.seal(public, words, context)
    key = private.owner_key(secret)
    by_owner = private.seal_by_owner(key, words, context)
    contexts = [f"afterglow entry {uuid.uuid4()} of 1" for _ in range(200)]
    many = [(c, private.seal_by_owner(key, words, c)) for c in contexts]
    salt = os.urandom(16)
    figures = {
        "seal one entry (2,000 characters), by its patient": median_ms(lambda: private.seal_by_owner(key, words, context), 200),
        "open one entry sealed by its patient": median_ms(lambda: private.unseal(secret, by_owner, context, key), 200),
        "seal one entry to the public key (a job, the CLI)": median_ms(lambda: private.seal(public, words, context), 200),
        "open one entry sealed to the public key": median_ms(lambda: private.unseal(secret, sealed, context), 200),
        "open 200 entries sealed by their patient (a search)": median_ms(
            lambda: [private.unseal(secret, s, c, key) for c, s in many]
        ),
        "unwrap at sign-in (Argon2id, 64 MiB, 3 passes)": median_ms(
            lambda: crypto.derive("a quiet harbour at dawn 7", salt, crypto.PARAMS)
        ),
    }
    for name, size in FIVE_MINUTES.items():
        figures.update(_recording(name, size, public, secret))
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    for name, ms in figures.items():
        print(f"{name:50s} {ms:8.3f} ms")


def _recording(name: str, size: int, public: bytes, secret: bytes) -> dict[str, float]:
    audio, context = os.urandom(size), f"afterglow recording {uuid.uuid4()} of 1"
    key = sealing.new_key()
    sealed = sealing.seal_audio(key, audio, context)
    key_sealed = private.seal(public, key, context)
    first, offset, length = sealing.span(size // 2, size // 2 + sealing.PIECE - 1)

    def seal() -> None:
        fresh = sealing.new_key()
        sealing.seal_audio(fresh, audio, context)
        private.seal(public, fresh, context)

    def open_whole() -> None:
        opened = private.unseal(secret, key_sealed, context)
        assert opened is not None
        sealing.open_audio(opened, sealed, size, context)

    return {
        f"seal a 5-min recording ({name})": median_ms(seal, 3),
        f"open it whole ({name})": median_ms(open_whole, 3),
        f"open a seek's 64 KiB of it ({name})": median_ms(
            lambda: sealing.open_pieces(key, sealed[offset : offset + length], first, size, context), 50
        ),
    }


if __name__ == "__main__":
    main()
