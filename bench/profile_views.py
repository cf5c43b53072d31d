"""Where a page's time goes: time one request in-process, count its SQL, and profile it with cProfile.

    .venv/bin/python bench/profile_views.py --size 100k --path /timeline [--requests 20] [--top 25]

Runs the whole Django stack (middleware, view, template) through the test
client against the generated journal, unlocked with AFTERGLOW_PASSPHRASE, so
the figures leave out only the HTTP server.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import home_for, ms, summary
from generate import setup_django, unlock_from_env


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--path", default="/timeline")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print each query with its time")
    args = parser.parse_args(argv)
    home = home_for(args.size).resolve()
    setup_django(home)
    unlock_from_env(home)
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    let_in(client)
    first = client.get(args.path)  # warm: templates compiled, page cache filled
    if first.status_code != 200:
        sys.exit(f"profile_views: GET {args.path} gave HTTP {first.status_code} {first.get('Location', '')}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(args.path)
    print(f"GET {args.path}: HTTP {response.status_code}, {len(response.content):,} bytes, {len(queries)} queries")
    if args.sql:
        for q in queries.captured_queries:
            print(f"  {q['time']:>7} s  {q['sql'][:300]}")
    times = []
    for _ in range(args.requests):
        started = time.perf_counter()
        client.get(args.path)
        times.append(time.perf_counter() - started)
    s = summary(times)
    print(f"single client, in-process: median {ms(s['median'])}, p95 {ms(s['p95'])}")
    reset_queries()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


def let_in(client: Any) -> None:
    """Open the journal to this client as `serve`'s one-time start link does (it is bound to a browser session)."""
    from django.urls import reverse

    from afterglow.vault import session

    if session.is_unlocked():
        client.get(reverse("vault_start", args=[session.issue_start_link_secret()]))


if __name__ == "__main__":
    main(sys.argv[1:])
