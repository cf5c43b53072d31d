"""Backup and restore against a plain file copy of the same journal, and what each check catches.

    .venv/bin/python bench/bench_backup.py --home bench/out/j100k [--rounds 3]

Works on a copy of the journal in a temporary data folder (the journal given is only read).
Part 1 alternates, in each round: a file copy of journal.db (`shutil.copyfile` then `fsync`,
as a backup must be on the disk before it is relied on), `afterglow backup` (`make_backup`)
and `afterglow restore` of that backup (`restore`), and prints each time and its ratio to the
copy of the same round. Part 2 times SQLite's and SQLCipher's checks on the backup (and Afterglow's
own page-HMAC pass, `vault/pagecheck.py`, and `store.check`, which backup and restore use), then damages
copies of it (one byte flipped in a page in the middle, in the last page, in the first page; the
file cut short by half) and prints which check refuses each. With AFTERGLOW_PASSPHRASE.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_PASSPHRASE
from generate import setup_django, unlock_from_env

CHECKS = {
    "integrity_check": "PRAGMA integrity_check",
    "quick_check": "PRAGMA quick_check",
    "cipher_integrity_check": "PRAGMA cipher_integrity_check",
    "pagecheck": "OURS",  # vault/pagecheck.py: the same page HMACs, one pass, both cores
    "store.check": "STORE",  # what backup and restore use: a schema read, then pagecheck
}
OURS, STORE_CHECK = "OURS", "STORE"


def file_copy(source: Path, dest: Path) -> None:
    shutil.copyfile(source, dest)
    fd = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def timed(work: Callable[[], object]) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def run_check(path: Path, key: bytes, pragma: str) -> str:
    """'passes', or what the check said (its first line)."""
    from afterglow.vault import pagecheck, store

    if pragma == OURS:
        report = pagecheck.check_file(path, key)
        if report.whole:
            return "passes"
        return f"refuses ({len(report.damaged)} pages, {report.stray_bytes} stray bytes)"
    if pragma == STORE_CHECK:
        try:
            store.check(path, key)
        except Exception as exc:
            return f"refuses ({str(exc)[:60]})"
        return "passes"
    conn = store.connect(path, key)
    try:
        rows = conn.execute(pragma).fetchall()
    except Exception as exc:  # what SQLCipher raises on a page it cannot read is the finding
        return f"refuses ({type(exc).__name__}: {str(exc)[:60]})"
    finally:
        conn.close()
    if rows in ([("ok",)], []):
        return "passes"
    return f"refuses ({len(rows)} rows: {str(rows[0][0])[:60]})"


def damaged(backup: Path, where: str, folder: Path) -> Path:
    out = folder / f"damaged-{where}.db"
    shutil.copyfile(backup, out)
    size = out.stat().st_size
    page = 4096
    with open(out, "r+b") as f:
        if where == "cut short":
            f.truncate((size // page // 2) * page)
            return out
        offset = {"first page": 100, "middle page": (size // page // 2) * page + 1000, "last page": size - 300}[where]
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0x01]))
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("AFTERGLOW_PASSPHRASE", BENCH_PASSPHRASE)
    with tempfile.TemporaryDirectory(prefix="afterglow-bench-backup-", dir=args.home.resolve().parent) as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(args.home.resolve(), home, ignore=shutil.ignore_patterns("backups", "cli"))  # cli: a server's socket
        setup_django(home)
        unlock_from_env(home)
        from afterglow.vault import backup, keyring

        journal = home / "journal.db"
        size = journal.stat().st_size / 1e6
        print(f"journal {size:.0f} MB; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        rows: dict[str, list[float]] = {"copy": [], "backup": [], "restore": []}
        made = journal
        for n in range(args.rounds):
            copy = timed(lambda: file_copy(journal, Path(tmp) / "copy.db"))
            (Path(tmp) / "copy.db").unlink()

            def make(n: int = n) -> None:
                nonlocal made
                made = backup.make_backup(Path(tmp) / f"backup-{n}.db")

            took = timed(make)
            restored = timed(lambda: backup.restore(made, os.environ["AFTERGLOW_PASSPHRASE"]))
            unlock_from_env(home)  # a restore locks the journal, as it does for a person
            for name, value in (("copy", copy), ("backup", took), ("restore", restored)):
                rows[name].append(value)
            print(
                f"  round {n + 1}: copy {copy:.2f} s, backup {took:.2f} s ({took / copy:.1f}×), "
                f"restore {restored:.2f} s ({restored / copy:.1f}×); load {os.getloadavg()[0]:.1f}"
            )
            for old in (home / "backups").glob("before-restore-*"):
                old.unlink()
        copy_median = statistics.median(rows["copy"])
        for name in ("backup", "restore"):
            median = statistics.median(rows[name])
            print(f"{name}: median {median:.2f} s = {median / copy_median:.1f}× the median copy ({copy_median:.2f} s)")

        key = keyring.current_key()
        assert key is not None
        print("checks on the backup (time; verdict):")
        for name, pragma in CHECKS.items():
            verdict = ""

            def check(pragma: str = pragma) -> None:
                nonlocal verdict
                verdict = run_check(made, key, pragma)

            print(f"  {name:<24} {timed(check):.2f} s; {verdict}")
        print("what each check says about a damaged copy:")
        for where in ("middle page", "last page", "first page", "cut short"):
            bad = damaged(made, where, Path(tmp))
            verdicts = {name: run_check(bad, key, pragma) for name, pragma in CHECKS.items()}
            print(f"  {where}: " + "; ".join(f"{name} {v}" for name, v in verdicts.items()))
            bad.unlink()


if __name__ == "__main__":
    main(sys.argv[1:])
