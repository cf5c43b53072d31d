"""The clinician report: gathering and the PDF for a course of 6 sessions, 200 entries and 90 check-ins.

    .venv/bin/python bench/bench_report.py [--runs 5] [--keep bench/out/report-sample.pdf]

Builds a fresh encrypted journal in a temporary folder (the vault unlocked by
AFTERGLOW_PASSPHRASE as for the other benchmarks): one course of six sessions
with their notes and side effects, 200 entries (every one chosen for the
report), 90 check-ins over 90 days, three PHQ-9s and three GAD-7s, a few
actions kept. Times `clinician.gather` + `pdf.render` (every section) in
process; the first run draws the charts from nothing like every later one
(nothing is cached between runs). Target: 3 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_PASSPHRASE, summary
from generate import open_journal, setup_django


def build() -> tuple[object, tuple[int, ...]]:
    from django.utils import timezone

    from afterglow.journal.access import local_patient
    from afterglow.journal.models import Capture, CheckIn, Course, Entry, IntegrationAction, Intention, Session
    from afterglow.measures.models import MeasureResponse

    rng = random.Random(16)
    owner = local_patient()
    today = timezone.localdate()
    start = today - timedelta(days=89)
    course = Course.objects.create(owner=owner, title="Six sessions (benchmark)", start_date=start)
    sessions = []
    for n in range(6):
        when = timezone.make_aware(
            timezone.datetime.combine(start + timedelta(days=5 + n * 3), timezone.datetime.min.time())
        ) + timedelta(hours=10)
        s = Session.objects.create(
            owner=owner, course=course, started_at=when, route=("iv", "nasal")[n % 2], dose="0.5 mg/kg over 40 minutes"
        )
        Intention.objects.create(owner=owner, session=s, text=f"Notice what the body says, time {n + 1}")
        Capture.objects.create(owner=owner, session=s, sensations={"nausea": rng.randint(0, 3), "floating": rng.randint(0, 3),
                               "chest_pain": 1 if n == 2 else 0}, dissociation=rng.randint(0, 3), slept=False)  # fmt: skip
        sessions.append(s)
    for d in range(90):
        at = timezone.make_aware(timezone.datetime.combine(start + timedelta(days=d), timezone.datetime.min.time())) + timedelta(
            hours=9
        )
        CheckIn.objects.create(owner=owner, at=at, mood=rng.randint(3, 8), anxiety=rng.randint(1, 7), energy=rng.randint(2, 8))
    ids = []
    for i in range(200):
        at = timezone.make_aware(
            timezone.datetime.combine(start + timedelta(days=i * 89 // 200), timezone.datetime.min.time())
        ) + timedelta(hours=20)
        words = " ".join(rng.choice(("light", "walk", "sister", "rain", "quiet", "heavy", "kind", "slow")) for _ in range(60))
        e = Entry.objects.create(
            owner=owner, text=f"Entry {i}: {words}", created_at=at, updated_at=at, session=sessions[min(5, i // 34)]
        )
        ids.append(e.pk)
        if i % 40 == 0:
            IntegrationAction.objects.create(
                owner=owner, entry=e, session=e.session, what=f"Action {i}", done_at=at + timedelta(days=1)
            )
    for k, day in enumerate((start, start + timedelta(days=40), today - timedelta(days=1))):
        at = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=8)
        phq9 = {str(n): (2 - k if n < 9 else (1 if k == 1 else 0)) for n in range(1, 10)}  # item 9 above 0 once
        MeasureResponse.objects.create(owner=owner, instrument="phq9", course=course, started_at=at, finished_at=at, answers=phq9)
        MeasureResponse.objects.create(owner=owner, instrument="gad7", course=course, started_at=at, finished_at=at,
                                       answers={str(n): 2 - k for n in range(1, 8)})  # fmt: skip
    return owner, tuple(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="also write the last PDF here, to look at")
    parser.add_argument(
        "--warm", action="store_true", help="warm the PDF machinery first, as opening the report page does (pdf.warm)"
    )
    args = parser.parse_args()
    os.environ.setdefault("AFTERGLOW_PASSPHRASE", BENCH_PASSPHRASE)
    with tempfile.TemporaryDirectory(prefix="afterglow-bench-report-") as tmp:
        setup_django(Path(tmp))
        open_journal(Path(tmp))
        from afterglow.reports import clinician, pdf

        owner, ids = build()
        if args.warm:
            began = time.perf_counter()
            pdf.warm()
            print(f"warmed in {time.perf_counter() - began:.2f} s (on the report page's thread, while choosing)")
        print(f"load average {os.getloadavg()[0]:.1f}")
        times, data = [], b""
        for _ in range(args.runs):
            began = time.perf_counter()
            data = pdf.render(clinician.gather(owner, clinician.Choice(entry_ids=ids)))
            times.append(time.perf_counter() - began)
        s = summary(times)
        print(f"report (6 sessions, 200 entries, 90 check-ins): first {times[0]:.2f} s, median {s['median']:.2f} s, "
              f"worst {max(times):.2f} s, {len(data) / 1024:.0f} KB")  # fmt: skip
        if args.keep:
            Path(args.keep).write_bytes(data)
            print(f"wrote {args.keep}")


if __name__ == "__main__":
    main()
