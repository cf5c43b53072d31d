"""Charts that follow the light or dark look: a small stylesheet carried inside each SVG.

A chart is shown with `<img>`, which keeps it a separate document: the page's CSS
cannot reach into it. So the SVG brings its own rules, written in CSS: each light
colour matplotlib drew (as `style="fill: #…"`) is given its dark partner, either
always (Dark chosen in Settings) or under `prefers-color-scheme: dark` (the
system's choice). The PDF report uses the plain SVG and stays as printed.
"""

from __future__ import annotations

# matplotlib writes colours as lowercase #rrggbb. Light colour -> its low-light partner.
DARK = {
    "#ffffff": "#1e2128",  # figure and plot background
    "#f6f2ea": "#272b33",  # alternate band
    "#2b2f3a": "#e3e0d9",  # ink
    "#000000": "#e3e0d9",  # matplotlib's own default ink (legend text)
    "#5d6473": "#abb1bc",  # muted labels and ticks
    "#cfc7ba": "#555d6b",  # axis lines
    "#3f5d8c": "#93b3e6",  # the measure line
    "#c8743f": "#e2a574",  # session marks
    "#4d4d4d": "#b8bcc4",  # session lines on the review charts
    "#0072b2": "#4ea8e0",  # Okabe–Ito blue, lifted to read on dark
    "#d55e00": "#f08a3c",  # Okabe–Ito vermilion
    "#009e73": "#2fc49a",  # Okabe–Ito green
}
THEMES = ("system", "light", "dark")


def rules() -> str:
    return "".join(
        f'[style*="{prop}: {light}"]{{{prop}: {dark} !important}}' for light, dark in DARK.items() for prop in ("fill", "stroke")
    )


def themed(svg: str, theme: str) -> str:
    """`svg` with dark rules for `theme` ("light": none; "dark": always; anything else: as the system says)."""
    if theme == "light" or "</style>" not in svg:
        return svg
    block = rules() if theme == "dark" else f"@media (prefers-color-scheme: dark){{{rules()}}}"
    return svg.replace("</style>", block + "</style>", 1)  # into matplotlib's own <style> in <defs>
