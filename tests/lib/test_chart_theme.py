"""Charts carry their own dark colours, because a page's CSS cannot reach into an <img>."""

from __future__ import annotations

import re
from datetime import datetime

from afterglow.lib.chart_theme import DARK, themed
from afterglow.measures.charts import Series, chart_svg


def svg() -> str:
    series = Series("PHQ-9", 27, [(datetime(2027, 1, 1), 12), (datetime(2027, 1, 15), 8)], [(0, 4, "minimal"), (5, 27, "more")])
    return chart_svg(series, [(datetime(2027, 1, 5), 1)])


def test_it_gives_every_colour_matplotlib_drew_a_dark_partner():
    drawn = set(re.findall(r"(?:fill|stroke): (#[0-9a-f]{6})", svg()))
    assert drawn and drawn <= set(DARK)


def test_it_follows_the_system_unless_a_look_was_chosen():
    plain = svg()
    assert themed(plain, "light") == plain
    system = themed(plain, "system")
    assert '@media (prefers-color-scheme: dark){[style*="fill: #ffffff"]{fill: #1e2128 !important}' in system
    dark = themed(plain, "dark")
    assert "@media" not in dark and '[style*="stroke: #3f5d8c"]{stroke: #93b3e6 !important}' in dark
