"""What sealing private entries costs in a clinic (issue 19 item 4), in process, with no database.

Prints the median of several runs, with the load average:
  * sealing one entry's words (what each autosave of a private entry adds), and opening one
    (what each private row read by its patient adds; a timeline page of 50 private entries
    opens 50): sealed by the patient's own request, and sealed to the public key by a job;
  * the search of 200 private entries opened in the app;
  * unwrapping the key at sign-in (Argon2id at the vault's fixed parameters).

    .venv/bin/python bench/bench_private.py
"""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid

from afterglow.journal import private
from afterglow.vault import crypto

RUNS = 7
TEXT = "A long walk by the river after the session, and the heaviness lifted a little. " * 25  # ~2,000 characters


def _median_ms(work, repeat: int = 1) -> float:
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
        "seal one entry (2,000 characters), by its patient": _median_ms(lambda: private.seal_by_owner(key, words, context), 200),
        "open one entry sealed by its patient": _median_ms(lambda: private.unseal(secret, by_owner, context, key), 200),
        "seal one entry to the public key (a job, the CLI)": _median_ms(lambda: private.seal(public, words, context), 200),
        "open one entry sealed to the public key": _median_ms(lambda: private.unseal(secret, sealed, context), 200),
        "open 200 entries sealed by their patient (a search)": _median_ms(
            lambda: [private.unseal(secret, s, c, key) for c, s in many]
        ),
        "unwrap at sign-in (Argon2id, 64 MiB, 3 passes)": _median_ms(
            lambda: crypto.derive("a quiet harbour at dawn 7", salt, crypto.PARAMS)
        ),
    }
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    for name, ms in figures.items():
        print(f"{name:50s} {ms:8.3f} ms")


if __name__ == "__main__":
    main()
