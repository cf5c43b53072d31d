"""The fixed Argon2id cost: one derivation, a real unlock, a CLI verb's time and peak memory, and a re-key.

    .venv/bin/python bench/bench_kdf.py [--runs 10] [--entries 10000]

Figures for bench/README.md (issue 10, item 15 and 10). Part 1 times Argon2id at the fixed cost
(crypto.PARAMS) next to the cost `init` used to pick by timing on a quiet 2-core machine
(t=13, 32 MiB, p=2). Part 2 runs whole `afterglow list` processes with the product's settings
(wall time and peak RSS, median of --runs). Part 3 re-keys a journal of --entries entries in
process (PRAGMA rekey rewrites every page). Prints the load average: read figures with it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import AFTERGLOW, run_once

PASSPHRASE = "benchmark passphrase, not a secret"


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return seconds


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values):.3f} s, p95 {p95:.3f} s, min {ordered[0]:.3f} s"


def kdf_alone(runs: int) -> None:
    from afterglow.vault import crypto

    salt = os.urandom(16)
    old = crypto.KdfParams(time_cost=13, memory_kib=32 * 1024, parallelism=2)
    print(f"Argon2id alone ({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f})")
    for name, params in (("fixed t=3, 64 MiB, p=4", crypto.PARAMS), ("old tuned t=13, 32 MiB, p=2", old)):
        crypto.derive(PASSPHRASE, salt, params)  # page faults on the first run
        print(f"  {name:30} {summary(timed(lambda p=params: crypto.derive(PASSPHRASE, salt, p), runs))}")


def whole_processes(runs: int, folder: Path) -> None:
    home = folder / "cli"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AFTERGLOW_", "DJANGO_"))}
    env.update({"AFTERGLOW_HOME": str(home), "AFTERGLOW_PASSPHRASE": PASSPHRASE, "AFTERGLOW_AUTO_BACKUP": "0"})
    subprocess.run([str(AFTERGLOW), "init"], env=env, check=True, capture_output=True)
    subprocess.run([str(AFTERGLOW), "write"], env=env, input=b"one entry", check=True, capture_output=True)
    done = [run_once([str(AFTERGLOW), "list", "-n", "5"], env) for _ in range(runs)]
    assert all(r.returncode == 0 for r in done), done[0].stderr
    print(f"`afterglow list -n 5`, product settings (load average {os.getloadavg()[0]:.2f})")
    print(f"  wall time  {summary([r.seconds for r in done])}")
    rss = [r.max_rss_kb / 1024 for r in done]
    print(f"  peak RSS   {statistics.median(rss):.1f} MB (median), max {max(rss):.1f} MB")


def rekey(entries: int, folder: Path) -> None:
    os.environ.update({"AFTERGLOW_HOME": str(folder / "rekey"), "DJANGO_SETTINGS_MODULE": "afterglow.settings"})
    import django

    django.setup()
    from afterglow.vault import keyring, session, store

    session.create_journal(PASSPHRASE)
    start = time.perf_counter()
    session.lock()
    session.unlock(PASSPHRASE, migrate=False)
    print(f"Vault in process (load average {os.getloadavg()[0]:.2f})")
    print(f"  unlock (Argon2id + key check)     {time.perf_counter() - start:.3f} s")
    conn = store.connect(store.journal_path(), keyring.current_key())
    owner = conn.execute("SELECT id FROM auth_user").fetchone()[0]
    columns = "owner_id, uid, mode, prompt_id, prompt_text, title, text, private, created_at, updated_at"
    text = "the light came back slowly and the room felt warm and held " * 8
    when = "2025-01-01 10:00:00"
    rows = ((owner, os.urandom(16).hex(), "free", "", "", "", text, 0, when, when) for _ in range(entries))
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO journal_entry ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = store.journal_path().stat().st_size / 1e6
    start = time.perf_counter()
    session.rekey_journal(PASSPHRASE, PASSPHRASE + " 2")
    took = time.perf_counter() - start
    print(f"  re-key of {entries:,} entries ({size:.0f} MB)  {took:.2f} s  (two Argon2id, PRAGMA rekey, checkpoint)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="afterglow-bench-kdf-") as tmp:
        kdf_alone(args.runs)
        whole_processes(args.runs, Path(tmp))
        rekey(args.entries, Path(tmp))


if __name__ == "__main__":
    main()
