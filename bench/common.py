"""Shared pieces of the benchmark scripts: paths, timing a whole process, and the summary statistics."""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
AFTERGLOW = ROOT / ".venv" / "bin" / "afterglow"
PYTHON = ROOT / ".venv" / "bin" / "python"
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
# Used for the journal unless AFTERGLOW_PASSPHRASE is already set (and not with --plain).
BENCH_PASSPHRASE = "benchmark passphrase, not a secret"


def home_for(size: str) -> Path:
    return OUT / f"j{size}"


def jrnl_file_for(size: str) -> Path:
    return OUT / f"j{size}.txt"


def afterglow_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, AFTERGLOW_HOME=str(home), DJANGO_SETTINGS_MODULE="afterglow.settings")
    env.pop("AFTERGLOW_DEBUG", None)
    return env


@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    returncode: int
    stdout: bytes
    stderr: bytes


def run_once(cmd: list[str], env: dict[str, str], stdin: bytes | None = None) -> Run:
    """Wall time and peak RSS of one whole process (wait4 gives that child's own rusage)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp:
        if stdin is not None:
            inp.write(stdin)
            inp.seek(0)
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdin=inp, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
        out.seek(0)
        err.seek(0)
        return Run(elapsed, usage.ru_maxrss, proc.returncode, out.read(), err.read())


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: with few samples it is an actual observed value, never an interpolation."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": percentile(values, 95),
        "min": min(values),
        "max": max(values),
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def save_results(name: str, data: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"results-{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def load_results(name: str) -> dict[str, Any] | None:
    path = OUT / f"results-{name}.json"
    return json.loads(path.read_text()) if path.exists() else None
