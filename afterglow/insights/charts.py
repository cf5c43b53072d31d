"""The review's charts as SVG: mood over the course and the after-session curve.

Same approach and style as `afterglow.measures.charts` (plain inputs, SVG text
out, no fonts fetched), drawn in two sizes: a wide one for a laptop and a
narrow one with bigger type and fewer ticks for a phone at 390 px. Colours are
the Okabe–Ito palette (told apart with colour-blind eyes), and every line also
has its own marker and dash pattern, so a grey print still separates them.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from afterglow.insights.curve import FIRST, LAST, Curve
from afterglow.insights.days import MEASURES, Day, spans_long, weekly
from afterglow.measures import charts as base

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
DASHES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))
SESSION_INK = "#4d4d4d"
MAX_CURVES = 7


@dataclass(frozen=True)
class Size:
    width: float
    height: float
    font: float
    ticks: int
    legend_columns: int


SIZES = {"wide": Size(7.5, 3.6, 9.5, 8, 4), "phone": Size(4.2, 4.4, 12, 4, 2)}


def size(name: str) -> Size:
    return SIZES.get(name, SIZES["wide"])


def _figure(shape: Size):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    figure = Figure(figsize=(shape.width, shape.height), layout="constrained")
    FigureCanvasSVG(figure)
    return figure


def _svg(figure) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def mood_svg(days: Sequence[Day], sessions: Sequence[tuple[date, int]], shape_name: str = "wide") -> str:
    """Mood, anxiety, sleep and energy (each day's mean) over time; each session a labelled dotted line."""
    import matplotlib

    shape = size(shape_name)
    if spans_long(days):
        days = weekly(days)  # the page says so; the table keeps every day
    with matplotlib.rc_context({"svg.hashsalt": "afterglow", "font.family": "DejaVu Sans", "font.size": shape.font}):
        figure = _figure(shape)
        axes = figure.add_subplot()
        when = [datetime.combine(d.day, time(12)) for d in days]
        marks = [(datetime.combine(day, time(12)), n) for day, n in sessions]
        start, end = _span(when, [w for w, _ in marks])
        _session_lines(axes, marks, shape, (start, end))
        top = 10.0
        for i, (name, label) in enumerate(MEASURES):
            points = [(w, d.values.get(name)) for w, d in zip(when, days, strict=True) if d.values.get(name) is not None]
            if not points:
                continue
            top = max(top, *(float(v) for _, v in points if v is not None))
            _line(axes, [w for w, _ in points], [float(v) for _, v in points if v is not None], i, label, len(when))
        axes.set_xlim(start, end)
        axes.set_ylim(0, math.ceil(top) + 0.5)
        axes.set_ylabel("0–10 (sleep: hours)", color=base.MUTED)
        _style_dates(axes, shape)
        _legend(figure, axes, shape)
        return _svg(figure)


def _span(points: list[datetime], sessions: list[datetime]) -> tuple[datetime, datetime]:
    """The measures chart's span (two weeks at least), but centred when it has to widen, so one day sits mid-axis."""
    every = points + sessions
    if not every:
        return base._span([], [])
    low, high = min(every), max(every)
    if high - low >= base.MIN_SPAN:
        return base._span(points, sessions)
    middle = low + (high - low) / 2
    return middle - base.MIN_SPAN / 2, middle + base.MIN_SPAN / 2


def _line(axes, xs: list, ys: list[float], i: int, label: str, total: int) -> None:  # type: ignore[no-untyped-def,type-arg]
    every = max(1, total // 40)  # two years of days would be a smear of markers
    axes.plot(
        xs, ys, color=OKABE_ITO[i % len(OKABE_ITO)], linestyle=DASHES[i % len(DASHES)], marker=MARKERS[i % len(MARKERS)],
        markersize=5, markevery=every, linewidth=1.8, label=label, zorder=3,
    )  # fmt: skip


def _session_lines(axes, marks: list[tuple[datetime, int]], shape: Size, span: tuple[datetime, datetime]) -> None:  # type: ignore[no-untyped-def]
    # A label only where it has room: at least this share of the axis after the last one shown.
    room = (span[1] - span[0]) * (0.07 if shape.ticks > 4 else 0.13)
    shown: datetime | None = None
    for when, number in marks:
        axes.axvline(when, color=SESSION_INK, linestyle=(0, (2, 2)), linewidth=1, alpha=0.7, zorder=1)
        if shown is None or when - shown >= room:
            shown = when
            axes.annotate(
                f"S{number}", (when, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -12), textcoords="offset points",
                fontsize=shape.font - 2, color=SESSION_INK,
            )  # fmt: skip


def _style_dates(axes, shape: Size) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    base._style(axes)
    locator = AutoDateLocator(minticks=2, maxticks=shape.ticks)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.tick_params(labelsize=shape.font - 1)


def _legend(figure, axes, shape: Size, columns: int | None = None) -> None:  # type: ignore[no-untyped-def]
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        # Below the plot, outside it, so it never covers a line or the axis label.
        figure.legend(
            handles, labels, loc="outside lower center", ncol=columns or shape.legend_columns, frameon=False,
            fontsize=shape.font - 1, handlelength=2.6,
        )  # fmt: skip


def curve_svg(found: Sequence[Curve], shape_name: str = "wide") -> str:
    """Mood from the day before each session to day 7 after it, one line per session (the latest few)."""
    import matplotlib
    from matplotlib.ticker import FixedLocator, ScalarFormatter

    shape = size(shape_name)
    with matplotlib.rc_context({"svg.hashsalt": "afterglow", "font.family": "DejaVu Sans", "font.size": shape.font}):
        figure = _figure(shape)
        axes = figure.add_subplot()
        axes.axvline(0, color=SESSION_INK, linestyle=(0, (2, 2)), linewidth=1, zorder=1)
        axes.annotate("session day", (0, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -12),
                      textcoords="offset points", fontsize=shape.font - 2, color=SESSION_INK)  # fmt: skip
        shown = [c for c in found if c.points][-MAX_CURVES:]
        for i, c in enumerate(shown):
            xs = list(range(FIRST, LAST + 1))
            ys = [c.points.get(k, math.nan) for k in xs]  # a day without a check-in is a gap, not a guess
            axes.plot(
                xs, ys, color=OKABE_ITO[i % len(OKABE_ITO)], linestyle=DASHES[i % len(DASHES)],
                marker=MARKERS[i % len(MARKERS)], markersize=6, linewidth=1.8, label=f"S{c.session.number}", zorder=3,
            )  # fmt: skip
        axes.set_xlim(FIRST - 0.3, LAST + 0.3)
        axes.set_ylim(0.5, 10.5)
        axes.set_xlabel("days after the session", color=base.MUTED)
        axes.set_ylabel("mood (1–10)", color=base.MUTED)
        base._style(axes)  # its date ticks are replaced just below: this axis counts days
        axes.xaxis.set_major_locator(FixedLocator(list(range(FIRST, LAST + 1)) if shape.ticks > 4 else [-1, 0, 1, 3, 5, 7]))
        axes.xaxis.set_major_formatter(ScalarFormatter())
        axes.yaxis.set_major_locator(FixedLocator([1, 4, 7, 10] if shape.ticks <= 4 else list(range(1, 11))))
        axes.tick_params(labelsize=shape.font - 1)
        _legend(figure, axes, shape, columns=4 if shape.ticks <= 4 else 7)
        return _svg(figure)
