"""What encryption costs: SQLCipher against plain SQLite, unlock time, backup and restore at 100k entries.

    .venv/bin/python bench/bench_vault.py [--entries 10000] [--big 100000]

Part 1 runs the same work on two files with the journal's connection pragmas,
one keyed (raw 256-bit key, as the app does) and one plain: inserting entries
one transaction each with an FTS5 external-content index kept by triggers,
full-text searches, and timeline pages. Part 2 uses the real vault code on a
throw-away data dir: Argon2id at its fixed cost, unlock, and backup and
restore of a migrated journal holding `--big` entries. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = [
    *[
        "light",
        "warm",
        "colour",
        "body",
        "breath",
        "fear",
        "grief",
        "open",
        "slow",
        "river",
        "field",
        "mother",
        "voice",
        "held",
        "safe",
        "edge",
        "quiet",
    ],
    *[
        "wave",
        "tired",
        "kind",
        "heavy",
        "soft",
        "trust",
        "music",
        "dark",
        "bright",
        "calm",
        "return",
        "integrate",
        "notice",
        "gentle",
        "again",
    ],
]
SCHEMA = """
CREATE TABLE entry (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX entry_owner_created ON entry (owner_id, created_at DESC);
CREATE VIRTUAL TABLE entry_fts USING fts5(text, content='entry', content_rowid='id');
CREATE TRIGGER entry_ai AFTER INSERT ON entry BEGIN INSERT INTO entry_fts(rowid, text) VALUES (new.id, new.text); END;
"""


def text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 400)))


def connect(path: Path, key: bytes | None):
    from afterglow.vault import store
    from afterglow.vault.backend.base import PRAGMAS

    conn = store.connect(path, key)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def workload(path: Path, key: bytes | None, entries: int) -> dict[str, float]:
    rng = random.Random(1)
    conn = connect(path, key)
    conn.executescript(SCHEMA)
    start = time.perf_counter()
    for i in range(entries):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO entry (owner_id, text, created_at) VALUES (1, ?, ?)",
            (text(rng), f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"),
        )
        conn.execute("COMMIT")
    insert = time.perf_counter() - start
    start = time.perf_counter()
    for word in WORDS * 3:
        conn.execute(
            "SELECT e.id, snippet(entry_fts, 0, '[', ']', '…', 8) FROM entry_fts JOIN entry e ON e.id = entry_fts.rowid "
            "WHERE entry_fts MATCH ? ORDER BY rank LIMIT 20",
            (f"{word} {rng.choice(WORDS)}",),
        ).fetchall()
    search = time.perf_counter() - start
    start = time.perf_counter()
    for page in range(100):
        conn.execute(
            "SELECT id, substr(text, 1, 200), created_at FROM entry WHERE owner_id = 1 "
            "ORDER BY created_at DESC LIMIT 50 OFFSET ?",
            (page * 50,),
        ).fetchall()
    timeline = time.perf_counter() - start
    conn.close()
    return {"insert": insert, "search": search, "timeline": timeline}


def compare(entries: int, folder: Path) -> None:
    plain = workload(folder / "plain.db", None, entries)
    keyed = workload(folder / "keyed.db", os.urandom(32), entries)
    print(f"SQLCipher vs plain SQLite, {entries:,} entries (target ≤ 1.3×)")
    for name in ("insert", "search", "timeline"):
        print(f"  {name:9} plain {plain[name]:7.3f} s   sqlcipher {keyed[name]:7.3f} s   ratio {keyed[name] / plain[name]:.2f}×")
    total = sum(keyed.values()) / sum(plain.values())
    print(f"  all       ratio {total:.2f}×")


def vault_figures(big: int, folder: Path) -> None:
    os.environ.update({"AFTERGLOW_HOME": str(folder / "home"), "DJANGO_SETTINGS_MODULE": "afterglow.settings"})
    import django

    django.setup()
    from afterglow.vault import backup, keyfile, keyring, session, store

    passphrase = "benchmark passphrase for the vault"
    start = time.perf_counter()
    session.create_journal(passphrase)
    print(f"\nVault on this machine ({os.cpu_count()} CPUs)")
    print(f"  init (Argon2id, create, migrate)  {time.perf_counter() - start:.2f} s")
    params = keyfile.load().params
    cost = f"t={params.time_cost} m={params.memory_kib // 1024} MiB p={params.parallelism}"
    print(f"  Argon2id: {cost} (fixed; bench/bench_kdf.py times it)")
    session.lock()
    start = time.perf_counter()
    session.unlock(passphrase, migrate=False)
    print(f"  unlock (Argon2id + key check)          {time.perf_counter() - start:.3f} s")

    rng = random.Random(2)
    conn = store.connect(store.journal_path(), keyring.current_key())
    owner = conn.execute("SELECT id FROM auth_user").fetchone()[0]
    columns = "owner_id, uid, mode, prompt_id, prompt_text, title, text, private, created_at, updated_at"
    rows = (
        (owner, os.urandom(16).hex(), "free", "", "", "", text(rng), 0, "2025-01-01 10:00:00", "2025-01-01 10:00:00")
        for _ in range(big)
    )
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO journal_entry ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()
    size = store.journal_path().stat().st_size / 1e6
    start = time.perf_counter()
    made = backup.make_backup()
    print(
        f"  backup of {big:,} entries ({size:.0f} MB)       {time.perf_counter() - start:.2f} s  (online copy + integrity check)"
    )
    start = time.perf_counter()
    backup.restore(made, passphrase)
    took = time.perf_counter() - start
    print(f"  restore of the same  {took:.2f} s  (unlock + integrity check + safety copy + swap)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="afterglow-bench-vault-") as tmp:
        compare(args.entries, Path(tmp))
        vault_figures(args.big, Path(tmp))


if __name__ == "__main__":
    main()
