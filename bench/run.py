"""`make bench`: generate the journals, compare with jrnl, load the web app, print figures against the targets.

    .venv/bin/python bench/run.py [--sizes 1k,10k,100k] [--repeat 10] [--fresh] [--plain] [--skip-web]

The journals are encrypted (the vault, unlocked with AFTERGLOW_PASSPHRASE,
a fixed benchmark passphrase unless you set one) like a real one; --plain
measures an unencrypted journal instead. Journals are generated once into
bench/out/ and reused; --fresh makes them again.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import jrnl_compare
import web_load
from common import BENCH, BENCH_PASSPHRASE, PYTHON, ROOT, SIZES, home_for, jrnl_file_for, save_results

TARGETS = {
    "search_p95_ms": 20.0,
    "search_speedup": 5.0,
    "list_ratio": 1.2,
    "rss_mb": 100.0,
    "web_p95_ms": 50.0,
}


def vault_available() -> bool:
    return (ROOT / "afterglow" / "vault" / "session.py").exists()


def choose_mode(plain: bool) -> bool:
    """Set AFTERGLOW_PASSPHRASE for every child process; True when the journals will be encrypted."""
    if plain or not vault_available():
        os.environ.pop("AFTERGLOW_PASSPHRASE", None)
        return False
    os.environ.setdefault("AFTERGLOW_PASSPHRASE", BENCH_PASSPHRASE)
    return True


def ensure_journal(size: str, encrypted: bool, fresh: bool) -> None:
    """Generate the journal unless one made the same way (with or without a passphrase) is there."""
    home, jrnl = home_for(size), jrnl_file_for(size)
    mode = "passphrase" if encrypted else "plain"
    marker = home.parent / f"j{size}.mode"
    made = (home / "journal.db").exists() and jrnl.exists() and marker.exists()
    if made and not fresh and marker.read_text() == mode:
        return
    shutil.rmtree(home, ignore_errors=True)
    jrnl.unlink(missing_ok=True)
    print(f"generating the {size} journal …", file=sys.stderr, flush=True)
    cmd = [str(PYTHON), str(BENCH / "generate.py"), "--home", str(home), "--entries", str(SIZES[size]), "--jrnl", str(jrnl)]
    started = time.perf_counter()
    subprocess.run(cmd, check=True)
    marker.write_text(mode)
    print(f"  ({time.perf_counter() - started:.0f} s)", file=sys.stderr)


def verdict(value: float | None, target: float, higher_is_better: bool = False) -> str:
    if value is None:
        return "not measured"
    ok = value >= target if higher_is_better else value <= target
    return "met" if ok else "MISSED"


def targets(compare: dict[str, Any], webs: dict[str, dict[str, Any] | None]) -> list[tuple[str, str, str, str]]:
    sizes = compare["sizes"]
    big = sizes.get("100k", {})
    word = compare["word"]
    search = big.get("in_process_search", {}).get("p95")
    speed = big.get("tasks", {}).get(f"search {word}", {}).get("speedup")
    ratio = compare.get("list_scaling", {}).get("ratio")
    rss = [r["afterglow"]["peak_rss_mb"] for r in big.get("tasks", {}).values() if "afterglow" in r]
    rows = [
        ("in-process search p95 at 100k", fmt(search, 1000, "ms"), "≤ 20 ms", verdict(search and search * 1000, 20)),
        (f"`afterglow search {word}` vs `jrnl -contains`", fmt(speed, 1, "×"), "≥ 5×", verdict(speed, 5, True)),
        ("`list -n 5` 100k / 1k", fmt(ratio, 1, "×", 2), "≤ 1.2×", verdict(ratio, 1.2)),
        ("CLI peak RSS at 100k", fmt(max(rss) if rss else None, 1, "MB"), "≤ 100 MB", verdict(max(rss) if rss else None, 100)),
    ]
    for path in web_load.PATHS:
        p95 = p95_of(webs["paced ~1/s"], path)
        label = f"web GET {path} p95, 20 clients paced ~1/s"
        rows.append((label, fmt(p95, 1000, "ms"), "≤ 50 ms", verdict(p95 and p95 * 1000, 50)))
    # A closed loop saturates the server by construction (latency = 20 ÷ throughput), so it reads
    # capacity; the same loop on /healthz, which does no work, shows the floor of that reading here.
    floor = p95_of(webs["floor"], "/healthz")
    for path in web_load.PATHS:
        p95 = p95_of(webs["closed loop"], path)
        note = f"capacity: {webs['closed loop']['requests_per_second']:.0f} req/s" if webs["closed loop"] else "not measured"
        rows.append((f"web GET {path} p95, 20 clients closed loop", fmt(p95, 1000, "ms"), "(none)", note))
    rows.append(("web GET /healthz p95, 20 clients closed loop", fmt(floor, 1000, "ms"), "(none)", "the floor of a closed loop"))
    return rows


def p95_of(web: dict[str, Any] | None, path: str) -> float | None:
    return (web or {}).get("paths", {}).get(path, {}).get("p95")


def fmt(value: float | None, scale: float, unit: str, digits: int = 1) -> str:
    return "—" if value is None else f"{value * scale:,.{digits}f} {unit}"


def print_targets(rows: list[tuple[str, str, str, str]], encrypted: bool) -> None:
    mode = "encrypted (SQLCipher)" if encrypted else "plain SQLite"
    print(f"\nTargets ({date.today()}, {os.cpu_count()} cores, Python {platform.python_version()}, journal {mode})")
    for label, value, target, result in rows:
        print(f"  {label:48} {value:>12}   target {target:9}  {result}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--fresh", action="store_true", help="generate the journals again")
    parser.add_argument("--plain", action="store_true", help="measure an unencrypted journal")
    parser.add_argument("--skip-web", action="store_true")
    args = parser.parse_args(argv)
    sizes = args.sizes.split(",")
    with_passphrase = choose_mode(args.plain)
    for size in sizes:
        ensure_journal(size, with_passphrase, args.fresh)
    # Whether the vault really encrypted it (an older build's `init` makes a plain journal).
    encrypted = (home_for(sizes[-1]) / "keys.json").exists()
    compare = jrnl_compare.main(["--sizes", ",".join(sizes), "--repeat", str(args.repeat)])
    webs: dict[str, dict[str, Any] | None] = {"paced ~1/s": None, "closed loop": None, "floor": None}
    if not args.skip_web and "100k" in sizes:
        paced = ["--size", "100k", "--think", "1", "--requests", "300", "--seconds", "60", "--name", "web_paced"]
        webs["paced ~1/s"] = web_load.main(paced)
        webs["closed loop"] = web_load.main(["--size", "100k", "--name", "web_closed"])
        floor = ["--size", "100k", "--paths", "/healthz", "--requests", "2000", "--seconds", "30", "--name", "web_floor"]
        webs["floor"] = web_load.main(floor)
    rows = targets(compare, webs)
    print_targets(rows, encrypted)
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} (other work on the machine inflates every figure)")
    save_results("summary", {"date": str(date.today()), "encrypted": encrypted, "cores": os.cpu_count(), "targets": rows})


if __name__ == "__main__":
    main(sys.argv[1:])
