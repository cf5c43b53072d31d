"""Charts of measures over a course, as SVG text made by matplotlib (also for the PDF report).

Plain inputs in, an SVG string out: no files, no network, no fonts fetched
(matplotlib's bundled DejaVu Sans is drawn as paths). The output is stable for
the same input, so it can be compared and cached.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from afterglow.lib import dates

INK = "#2b2f3a"
MUTED = "#5d6473"
LINE = "#3f5d8c"
SESSION = "#c8743f"
BAND_FILL = ("#f6f2ea", "#ffffff")
MIN_SPAN = timedelta(days=14)


@dataclass(frozen=True)
class Series:
    """One measure's complete totals over time, with the scale's range and bands."""

    title: str
    max_total: int
    points: Sequence[tuple[datetime, int]]
    bands: Sequence[tuple[int, int, str]] = ()
    cutoff: int | None = None


def chart_svg(series: Series, sessions: Sequence[tuple[datetime, int]] = (), *, width: float = 7.5, height: float = 3.4) -> str:
    """The series as a line over time, band areas behind it, each session a labelled vertical line."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.hashsalt": "afterglow", "font.family": "DejaVu Sans", "font.size": 9}):
        figure = Figure(figsize=(width, height))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        _draw(axes, series, sessions)
        figure.tight_layout()
        if series.bands or series.cutoff is not None:
            figure.subplots_adjust(right=0.82)  # room for the band names on the right
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def _drawable(series: Series, sessions: Sequence[tuple[datetime, int]]) -> tuple[Series, list[tuple[datetime, int]]]:
    """Only days a life can hold: a journal written before dates were bounded may keep a session in year 1
    or 9999, which no axis can span (the table beside the chart still lists every number)."""
    today = date.today()
    points = [(when, total) for when, total in series.points if dates.plausible(when, today)]
    return replace(series, points=points), [(when, number) for when, number in sessions if dates.plausible(when, today)]


def _draw(axes, series: Series, sessions: Sequence[tuple[datetime, int]]) -> None:  # type: ignore[no-untyped-def]
    series, sessions = _drawable(series, sessions)
    start, end = _span([when for when, _ in series.points], [when for when, _ in sessions])
    for i, (low, high, name) in enumerate(series.bands):
        axes.axhspan(low - 0.5 if low else 0, high + 0.5, color=BAND_FILL[i % 2], zorder=0, linewidth=0)
        axes.text(
            1.005, (low + high) / 2 / series.max_total, name, transform=axes.transAxes, fontsize=7, color=MUTED, va="center"
        )
    if series.cutoff is not None:
        axes.axhline(series.cutoff, color=MUTED, linestyle="--", linewidth=0.8, zorder=1)
        axes.text(
            1.005,
            series.cutoff / series.max_total,
            f"cut-off {series.cutoff}",
            transform=axes.transAxes,
            fontsize=7,
            color=MUTED,
            va="center",
        )
    for when, number in sessions:
        axes.axvline(when, color=SESSION, linewidth=1, alpha=0.8, zorder=1)
        axes.annotate(
            f"S{number}",
            (when, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(2, -10),
            textcoords="offset points",
            fontsize=7,
            color=SESSION,
        )
    if series.points:
        xs = [when for when, _ in series.points]
        ys = [total for _, total in series.points]
        axes.plot(xs, ys, color=LINE, linewidth=2, marker="o", markersize=5, zorder=3)
        for x, y in zip(xs, ys, strict=True):
            axes.annotate(str(y), (x, y), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=8, color=INK)
    axes.set_xlim(start, end)
    axes.set_ylim(0, series.max_total)
    axes.set_ylabel(f"{series.title} total", color=MUTED)
    _style(axes)


def _span(points: list[datetime], sessions: list[datetime]) -> tuple[datetime, datetime]:
    """At least two weeks wide, so a first measure does not sit alone on an axis of hours."""
    every = points + sessions
    end = max(every) if every else datetime.now()
    start = min(every) if every else end
    pad = max((end - start) / 20, timedelta(days=1))
    start, end = start - pad, end + pad
    if end - start < MIN_SPAN:
        start = end - MIN_SPAN
    return start, end


def _style(axes) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color("#cfc7ba")
    axes.tick_params(colors=MUTED, labelsize=8)
