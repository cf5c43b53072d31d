"""Drawings: the palette (from `data/drawing.toml`), and the checks a saved drawing passes.

A drawing is saved as two things sent together by the drawing page: the PNG
the canvas painted, and the strokes that painted it, so the drawing opens
again as lines that can be undone, erased or added to. Both are checked here
before anything is stored: the PNG must really be a PNG of the canvas size,
and the strokes must be small, well-formed and use the palette.

Strokes, as JSON: {"v": 1, "strokes": [{"c": "#2f3a4a", "w": 10, "e": false,
"p": [[x, y, pressure], ...]}, ...]}; `e` marks an eraser stroke (painted in
the paper colour).
"""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from afterglow.lib.datafiles import DataFileError, load_toml
from afterglow.lib.errors import UserError
from afterglow.media.visual.photos import THUMB_SIDE, Encoded, encode

DATA = Path(__file__).parent / "data" / "drawing.toml"
HEX = re.compile(r"^#[0-9a-f]{6}$")
MAX_STROKES_BYTES = 4 * 1024 * 1024
MAX_PNG_BYTES = 8 * 1024 * 1024
MAX_STROKES = 5_000
MAX_POINTS = 200_000
MAX_WIDTH = 120
# Points may stray a little past the edge (a line drawn off the canvas).
MARGIN = 200


class DrawingDataError(DataFileError):
    """drawing.toml does not have the shape the page needs (a packaging bug, not user input)."""


class DrawingError(UserError, ValueError):
    """A drawing that cannot be saved as sent; the message is meant for the person."""


@dataclass(frozen=True)
class Colour:
    key: str
    label: str
    hex: str


@dataclass(frozen=True)
class Size:
    key: str
    label: str
    width: int


@dataclass(frozen=True)
class Palette:
    width: int
    height: int
    paper: str
    colours: tuple[Colour, ...]
    sizes: tuple[Size, ...]

    @property
    def inks(self) -> frozenset[str]:
        return frozenset(c.hex for c in self.colours) | {self.paper}


def _require(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = table.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise DrawingDataError(f"{where}: '{key}' must be a {kind.__name__}")
    return value


def parse_palette(data: dict[str, Any]) -> Palette:
    canvas = _require(data, "canvas", dict, "drawing.toml")
    paper = _require(canvas, "paper", str, "[canvas]").lower()
    colours = tuple(
        Colour(_require(c, "key", str, "[[colours]]"), _require(c, "label", str, "[[colours]]"),
               _require(c, "hex", str, "[[colours]]").lower())
        for c in _require(data, "colours", list, "drawing.toml")
    )  # fmt: skip
    sizes = tuple(
        Size(_require(s, "key", str, "[[sizes]]"), _require(s, "label", str, "[[sizes]]"), _require(s, "width", int, "[[sizes]]"))
        for s in _require(data, "sizes", list, "drawing.toml")
    )
    if not colours or not sizes:
        raise DrawingDataError("drawing.toml needs at least one colour and one size")
    bad = [c.hex for c in colours if not HEX.match(c.hex)] + ([paper] if not HEX.match(paper) else [])
    if bad:
        raise DrawingDataError(f"drawing.toml: colours must look like #a1b2c3, not {bad}")
    if len({c.key for c in colours}) != len(colours) or len({s.key for s in sizes}) != len(sizes):
        raise DrawingDataError("drawing.toml: colour and size keys must be unique")
    if any(not 0 < s.width <= MAX_WIDTH for s in sizes):
        raise DrawingDataError(f"drawing.toml: brush widths must be 1–{MAX_WIDTH}")
    width, height = _require(canvas, "width", int, "[canvas]"), _require(canvas, "height", int, "[canvas]")
    if not (100 <= width <= 4000 and 100 <= height <= 4000):
        raise DrawingDataError("drawing.toml: the canvas must be 100–4000 pixels each way")
    return Palette(width, height, paper, colours, sizes)


@cache
def palette() -> Palette:
    return load_toml(DATA, parse_palette, error=DrawingDataError)


# --- Strokes -----------------------------------------------------------------------------------

TOO_BIG = "This drawing has grown too large to save in one piece. Start a new drawing for more — this one is kept on this device."
GARBLED = "This drawing arrived garbled and was not saved. It is kept on this device; reload the page to try again."


def clean_strokes(raw: bytes, pal: Palette | None = None) -> bytes:
    """The strokes, checked and written back compactly; DrawingError when they cannot be stored."""
    pal = pal or palette()
    if len(raw) > MAX_STROKES_BYTES:
        raise DrawingError(TOO_BIG)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise DrawingError(GARBLED) from None
    strokes = data.get("strokes") if isinstance(data, dict) and data.get("v") == 1 else None
    if not isinstance(strokes, list):
        raise DrawingError(GARBLED)
    if len(strokes) > MAX_STROKES or sum(len(s.get("p") or ()) for s in strokes if isinstance(s, dict)) > MAX_POINTS:
        raise DrawingError(TOO_BIG)
    cleaned = [_stroke(s, pal) for s in strokes]
    return json.dumps({"v": 1, "strokes": cleaned}, separators=(",", ":")).encode()


def _stroke(stroke: Any, pal: Palette) -> dict[str, Any]:
    if not isinstance(stroke, dict):
        raise DrawingError(GARBLED)
    colour, eraser, points = stroke.get("c"), stroke.get("e", False), stroke.get("p")
    width: Any = stroke.get("w")
    if not isinstance(colour, str) or colour.lower() not in pal.inks or not isinstance(eraser, bool):
        raise DrawingError(GARBLED)
    if not _number(width) or not 0 < width <= MAX_WIDTH or not isinstance(points, list) or not points:
        raise DrawingError(GARBLED)
    return {"c": colour.lower(), "w": _round(width), "e": eraser, "p": [_point(p, pal) for p in points]}


def _point(point: Any, pal: Palette) -> list[float]:
    if not isinstance(point, list) or len(point) != 3 or not all(_number(v) for v in point):
        raise DrawingError(GARBLED)
    x, y, pressure = point
    if not (-MARGIN <= x <= pal.width + MARGIN and -MARGIN <= y <= pal.height + MARGIN and 0 <= pressure <= 1):
        raise DrawingError(GARBLED)
    return [_round(x), _round(y), _round(pressure)]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _round(value: float) -> float:
    rounded = round(float(value), 2)
    return int(rounded) if rounded.is_integer() else rounded


def stroke_count(strokes: bytes | memoryview | None) -> int:
    if not strokes:
        return 0
    return len(json.loads(bytes(strokes)).get("strokes", []))


# --- The painted PNG ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Painted:
    image: Encoded
    thumb: Encoded


def clean_png(raw: bytes, pal: Palette | None = None) -> Painted:
    """The canvas PNG re-encoded from its pixels alone (nothing else the browser put in it), and its thumbnail."""
    pal = pal or palette()
    if len(raw) > MAX_PNG_BYTES:
        raise DrawingError(TOO_BIG)
    try:
        image = Image.open(io.BytesIO(raw), formats=["PNG"])
        if image.size != (pal.width, pal.height):
            raise DrawingError(GARBLED)
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise DrawingError(GARBLED) from None
    flat = Image.new("RGB", image.size, pal.paper)
    rgba = image.convert("RGBA")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    thumb = flat.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return Painted(_png(flat), encode(thumb))


def _png(image: Image.Image) -> Encoded:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return Encoded(out.getvalue(), "image/png", image.width, image.height)
