from __future__ import annotations

import re
from datetime import datetime, timedelta

from afterglow.measures.charts import Series, chart_svg

START = datetime(2026, 3, 2, 9, 0)
PHQ9 = Series(
    "PHQ-9", 27, [(START, 18), (START + timedelta(days=10), 11), (START + timedelta(days=21), 6)],
    bands=[(0, 4, "Minimal"), (5, 9, "Mild"), (10, 14, "Moderate"), (15, 19, "Moderately severe"), (20, 27, "Severe")],
)  # fmt: skip
SESSIONS = [(START + timedelta(days=1), 1), (START + timedelta(days=4), 2)]


def test_it_draws_totals_sessions_and_band_names_as_svg():
    svg = chart_svg(PHQ9, SESSIONS)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for label in ("S1", "S2", "18", "11", "6", "Moderately severe", "PHQ-9 total"):
        assert f"<!-- {label} -->" in svg


def test_it_is_the_same_for_the_same_numbers():
    assert chart_svg(PHQ9, SESSIONS) == chart_svg(PHQ9, SESSIONS)


def test_it_has_no_script_and_refers_to_no_other_host():
    svg = chart_svg(PHQ9, SESSIONS)
    assert "<script" not in svg.lower() and "@import" not in svg
    hrefs = re.findall(r'(?:href|src)="([^"#][^"]*)"', svg)
    assert hrefs == []


def test_it_draws_a_cutoff_and_copes_with_no_points_yet():
    svg = chart_svg(Series("PCL-5", 80, [], cutoff=33))
    assert "<!-- cut-off 33 -->" in svg


def test_days_no_life_holds_are_left_off_the_axis_and_the_rest_is_drawn():
    far = Series("PHQ-9", 27, [(datetime(1, 1, 1), 3), *PHQ9.points, (datetime(9999, 12, 31, 23, 59), 4)])
    svg = chart_svg(far, [(datetime(1, 1, 1), 1), *SESSIONS, (datetime(9999, 12, 31), 9)])
    for label in ("S1", "S2", "18", "11", "6"):
        assert f"<!-- {label} -->" in svg
    assert "<!-- S9 -->" not in svg and "<!-- 3 -->" not in svg
