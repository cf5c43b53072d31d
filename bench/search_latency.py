"""In-process latency of search over many queries; prints JSON.

    .venv/bin/python bench/search_latency.py --home bench/out/j100k [--queries 600] [--what everywhere]

`--what entries` (the default) times `afterglow.journal.search.search()`, the entries alone;
`everywhere` times `afterglow.pages.everywhere.find()`, every source the search page and the
CLI cover (entries, captions, captures, intentions, check-in notes); `filtered` the same with a
kind and a one-year date range, which leaves the newest-matches shortcut for a filtered query.

Queries mix rare, common and very common words, two-word queries, prefixes
and phrases, drawn from the generator's vocabulary, so the figure covers
both small and huge match sets. The first pass warms the page cache.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from common import summary
from generate import setup_django, unlock_from_env

KINDS = ("rare word", "common word", "two words", "prefix", "phrase")


def query_set(rng: random.Random, count: int) -> list[tuple[str, str]]:
    words = sorted({w for values in corpus.FILLERS.values() for v in values for w in v.split() if len(w) > 3})
    # Words every third entry contains: the worst case for ranking (bm25 over every match).
    common = ["session", "felt", "today", "breathing", "music", "anxiety", "grateful", "morning"]
    phrases = ["quiet hour", "integration appointment", "drowning in it", "no clear reason", "grandmother's kitchen"]
    make = {
        "rare word": lambda: rng.choice(words),
        "common word": lambda: rng.choice(common),
        "two words": lambda: f"{rng.choice(words)} {rng.choice(words)}",
        "prefix": lambda: rng.choice(words)[:4] + "*",
        "phrase": lambda: f'"{rng.choice(phrases)}"',
    }
    return [(kind, make[kind]()) for kind in (KINDS[i % len(KINDS)] for i in range(count))]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, type=Path)
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--what", choices=("entries", "everywhere", "filtered"), default="entries")
    args = parser.parse_args(argv)
    setup_django(args.home.resolve())
    unlock_from_env(args.home.resolve())
    from afterglow.access import local_patient
    from afterglow.journal.search import search as entries_only

    owner = local_patient()
    search = entries_only if args.what == "entries" else everywhere(args.what)
    queries = query_set(random.Random(7), args.queries)
    for _, query in queries[:50]:
        search(owner, query, args.limit)
    by_kind: dict[str, list[float]] = {kind: [] for kind in KINDS}
    hits = 0
    for kind, query in queries:
        started = time.perf_counter()
        found = search(owner, query, args.limit)
        by_kind[kind].append(time.perf_counter() - started)
        hits += len(found)
    every = [t for times in by_kind.values() for t in times]
    result = summary(every) | {
        "queries": len(every),
        "mean_hits": hits / len(every),
        "by_kind": {kind: summary(times) for kind, times in by_kind.items()},
    }
    json.dump(result, sys.stdout, indent=2)


def everywhere(what: str) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    from afterglow.pages.everywhere import BadQuery, Filters, find

    filters = Filters()
    if what == "filtered":
        filters = Filters(kinds=frozenset({"entry"}), since=timezone.localdate() - timedelta(days=365))

    def run(owner: Any, query: str, limit: int) -> list[Any]:
        try:
            return find(owner, query, filters, limit=limit)
        except BadQuery:
            return []

    return run


if __name__ == "__main__":
    main(sys.argv[1:])
