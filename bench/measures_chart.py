"""How long one measure chart takes to draw (matplotlib SVG): the first (with imports) and the median after.

    .venv/bin/python bench/measures_chart.py [--points 26] [--repeat 10]

The web page draws one per measure on /measures; the PDF report will draw the same.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from afterglow.measures.charts import Series, chart_svg


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=26, help="measures in the course (a year, every two weeks)")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    start = datetime(2026, 1, 5, 9)
    points = [(start + timedelta(days=14 * n), max(0, 22 - n)) for n in range(args.points)]
    sessions = [(start + timedelta(days=3 * n + 1), n + 1) for n in range(8)]
    bands = [(0, 4, "Minimal"), (5, 9, "Mild"), (10, 14, "Moderate"), (15, 19, "Moderately severe"), (20, 27, "Severe")]
    series = Series("PHQ-9", 27, points, bands)
    began = time.perf_counter()
    svg = chart_svg(series, sessions)
    first = time.perf_counter() - began
    times = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        chart_svg(series, sessions)
        times.append(time.perf_counter() - began)
    print(
        f"measure chart, {args.points} points, {len(sessions)} sessions: first {first * 1000:.0f} ms (with imports), "
        f"median {statistics.median(times) * 1000:.0f} ms, {len(svg) / 1024:.0f} KiB of SVG"
    )


if __name__ == "__main__":
    main()
