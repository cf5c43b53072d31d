"""Exports and imports of a large journal: wall time and peak memory of whole `afterglow` processes.

    .venv/bin/python bench/bench_exports.py [--size 10k|100k]

Uses (or makes, with generate.py) the encrypted journal `bench/out/j<size>` and its
jrnl twin, then runs `afterglow export --format F` for each format, and imports
into fresh journals: the jrnl text file, and the json export just made. Peak RSS is
the process's own (wait4), so "bounded memory" can be read off as the size grows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AFTERGLOW, BENCH_PASSPHRASE, PYTHON, afterglow_env, home_for, jrnl_file_for, run_once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10k", choices=["1k", "10k", "100k"])
    args = parser.parse_args()
    os.environ.setdefault("AFTERGLOW_PASSPHRASE", BENCH_PASSPHRASE)
    home, jrnl = home_for(args.size), jrnl_file_for(args.size)
    if not (home / "journal.db").exists():
        count = {"1k": 1_000, "10k": 10_000, "100k": 100_000}[args.size]
        subprocess.run([PYTHON, str(Path(__file__).with_name("generate.py")), "--home", str(home), "--entries", str(count),
                        "--jrnl", str(jrnl)], check=True, env=afterglow_env(home))  # fmt: skip
    print(f"{args.size} entries, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="afterglow-bench-export-") as tmp:
        out = Path(tmp)
        for fmt in ("json", "md", "csv", "fhir"):
            target = out / f"export.{'json' if fmt == 'fhir' else 'zip'}"
            run = run_once([str(AFTERGLOW), "export", "--format", fmt, "-o", str(target)], afterglow_env(home))
            assert run.returncode == 0, run.stderr.decode()
            size = target.stat().st_size / 2**20
            print(f"export {fmt:5} {run.seconds:7.1f} s  peak RSS {run.max_rss_kb / 1024:6.0f} MB  file {size:6.1f} MB")
            if fmt == "json":
                (out / "keep.zip").write_bytes(target.read_bytes())
        for name, source in (("jrnl", jrnl), ("json", out / "keep.zip")):
            fresh = out / f"fresh-{name}"
            env = afterglow_env(fresh)
            subprocess.run([str(AFTERGLOW), "init"], env=env, check=True, capture_output=True)
            run = run_once([str(AFTERGLOW), "import", name, str(source)], env)
            assert run.returncode == 0, run.stderr.decode()
            said = run.stdout.decode().strip()
            print(f"import {name:5} {run.seconds:7.1f} s  peak RSS {run.max_rss_kb / 1024:6.0f} MB  {said}")
        print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
