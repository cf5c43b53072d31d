"""What issue 10's input checks cost: the keys.json shape check on every unlock, and the bounded file reader.

    .venv/bin/python bench/bench_input_checks.py [--mb 150]

Prints figures only. The key file is a fresh one made by the real code (fast KDF,
since only parsing is timed); the file read compares `Path.read_bytes` (what
`voice add` and `image add` did) with `afterglow.lib.files.read_bounded`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _median_ms(run, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def keys_parse(repeat: int = 2000) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")
    os.environ.setdefault("AFTERGLOW_HOME", tempfile.mkdtemp(prefix="afterglow-bench-"))
    os.environ["AFTERGLOW_KDF_FAST"] = "1"
    import json

    import django

    django.setup()
    from afterglow.vault import keyfile, keyshape

    data = keyfile.create("bench passphrase for parsing")[0].to_json()
    doc = json.loads(data)
    whole = _median_ms(lambda: keyfile.KeyFile.from_json(data), repeat) * 1000
    shape = _median_ms(lambda: keyshape.check(doc, keyfile.FORMAT, keyfile.VERSION), repeat) * 1000
    print(f"keys.json parse (with shape check): {whole:.1f} µs, of which the shape check {shape:.1f} µs")


def file_read(mb: int, repeat: int = 5) -> None:
    from afterglow.lib.files import read_bounded

    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(os.urandom(mb * 1024 * 1024))
    path = Path(f.name)
    try:
        plain = _median_ms(path.read_bytes, repeat)
        bounded = _median_ms(lambda: read_bounded(path, 200 * 1024 * 1024, str), repeat)
        print(f"reading a {mb} MB file: read_bytes {plain:.0f} ms, read_bounded {bounded:.0f} ms (median of {repeat})")
    finally:
        path.unlink()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=150)
    args = parser.parse_args()
    keys_parse()
    file_read(args.mb)
