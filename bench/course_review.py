"""The course review and compare pages at 100k entries with a two-year course; themes after one new entry.

    .venv/bin/python bench/course_review.py [--size 100k] [--requests 40]

Works on a copy of the generated journal (`bench/out/j100k-review`, made once
from `bench/out/j100k`; `make bench` or generate.py builds that), reshaped so
its latest course spans the last two years: every session of those two years
moves into one course, so the review reads two years of check-ins (about 620
days), every session of them, and the themes of every entry written since
(about 20,000 of the 100,000). Requests go through the whole Django stack with
the test client (in process, no HTTP server), with the vault unlocked by
AFTERGLOW_PASSPHRASE as for the other benchmarks.

Figures: the first view after start (themes built from nothing, charts drawn),
then p50/p95 of warm views; the compare page for six sessions; each chart;
and the themes worked out again after one new entry, five times.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_PASSPHRASE, OUT, home_for, summary
from generate import setup_django, unlock_from_env

TITLE = "Two years (benchmark)"


def copy_journal(source: Path, target: Path) -> None:
    if (target / "journal.db").exists():
        return
    if not (source / "journal.db").exists():
        sys.exit(f"course_review: no journal in {source}; run bench/generate.py --home {source} --entries 100000 first")
    target.mkdir(parents=True, exist_ok=True)
    for name in ("journal.db", "keys.json", "secret_key"):
        if (source / name).exists():
            shutil.copy2(source / name, target / name)


def two_year_course(owner: Any) -> Any:
    """The latest course, holding every session of the last two years (made once, on the copy)."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from afterglow.journal.models import Course, Session, renumber_sessions

    found = Course.objects.filter(owner=owner, title=TITLE).first()
    if found is not None:
        return found
    start = timezone.localdate() - timedelta(days=730)
    with transaction.atomic():
        course = Course.objects.create(owner=owner, title=TITLE, start_date=start)
        moved = Session.objects.filter(owner=owner, started_at__date__gte=start).exclude(course=course)
        old = set(moved.values_list("course_id", flat=True))
        moved.update(course=course, number=F("id") + 1_000_000)  # unique while they move; renumbered just below
        renumber_sessions(Session, course.pk)
        for course_id in old:
            renumber_sessions(Session, course_id)
        # A course that starts inside these two years would end this one's span at its start: fold it in.
        Course.objects.filter(owner=owner, start_date__gte=start).exclude(pk=course.pk).delete()
    return course


def let_in(client: Any) -> None:
    """Open the journal to the test client as `serve`'s one-time start link does a browser."""
    from afterglow.vault import session

    if session.started_unlocked():
        assert client.get(f"/start/{session.issue_start_link_secret()}").status_code == 200


def timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def views(client: Any, path: str, requests: int) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    times = [timed(lambda: client.get(path)) for _ in range(requests)]
    return {"bytes": len(response.content), **{k: round(v * 1000, 1) if k != "n" else v for k, v in summary(times).items()}}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args(argv)
    os.environ.setdefault("AFTERGLOW_PASSPHRASE", BENCH_PASSPHRASE)
    source = home_for(args.size).resolve()
    home = OUT / f"j{args.size}-review"
    copy_journal(source, home)
    setup_django(home)
    unlock_from_env(home)
    from django.test import Client

    from afterglow.access import local_patient
    from afterglow.insights import themes
    from afterglow.journal.entries import create_entry
    from afterglow.journal.models import CheckIn, Entry, Session

    owner = local_patient()
    course = two_year_course(owner)
    sessions = list(Session.objects.filter(course=course).order_by("started_at"))
    first_day = course.start_date
    shape = {
        "entries_in_journal": Entry.objects.filter(owner=owner).count(),
        "entries_in_course": sum(rows.count() for rows in themes._course_entries(course)),
        "checkin_days_in_course": CheckIn.objects.filter(owner=owner, day__gte=first_day).count(),
        "sessions_in_course": len(sessions),
    }
    client = Client(HTTP_HOST="127.0.0.1")
    let_in(client)
    review = f"/course/review?course={course.pk}"
    compare = "/course/compare?" + "&".join(f"s={s.pk}" for s in sessions[-6:])
    results: dict[str, Any] = {"journal": shape, "load_before": os.getloadavg()}
    results["review_first_ms"] = round(timed(lambda: client.get(review)) * 1000)
    results["review_warm"] = views(client, review, args.requests)
    results["compare_warm"] = views(client, compare, args.requests)
    for name in ("mood", "curve"):
        for size in ("wide", "phone"):
            url = f"/course/review/{name}.svg?course={course.pk}&size={size}"
            results[f"{name}_{size}_chart_first_ms"] = round(timed(lambda u=url: client.get(u)) * 1000)
    after_one: list[float] = []
    review_after_one: list[float] = []
    for n in range(5):
        create_entry(owner, f"One more evening by the harbour, number {n}; the lighthouse keeper again.")
        after_one.append(timed(lambda: themes.compute(course)))
        create_entry(owner, f"And the morning after, number {n}.")
        review_after_one.append(timed(lambda: client.get(review)))
    results["themes_after_one_new_entry_ms"] = [round(t * 1000) for t in after_one]
    results["review_after_one_new_entry_ms"] = [round(t * 1000) for t in review_after_one]
    results["load_after"] = os.getloadavg()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
