"""Photos in: check what the bytes really are, turn them upright, drop every tag, shrink, make a thumbnail.

Everything happens in memory. The format is found by opening the bytes (never
from a file name or a claimed content type), and only the decoders for JPEG,
PNG, WebP and HEIC are offered. The size in pixels is read from the header and
refused above `MAX_PIXELS` before anything is decoded. The stored image is a
fresh encoding of the pixels alone: EXIF (with any GPS position), XMP, IPTC
and comments never reach the journal. An embedded colour profile is kept so
colours look as they did.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageOps, UnidentifiedImageError

from afterglow.lib.errors import UserError

MAX_PIXELS = 40_000_000
MAX_BYTES = 200 * 1024 * 1024
LONGEST_SIDE = 2048
DRAFT_SIDE = 1800  # a large JPEG is kept at least this long when decoding it at reduced scale
THUMB_SIDE = 320
JPEG_QUALITY = 85
FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
KINDS_WE_TAKE = "JPEG, PNG, WebP or HEIC"

# Pillow's own guard against decompression bombs, at our limit (it warns past it and refuses at twice it).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class PhotoError(UserError, ValueError):
    """A photo that cannot be taken in (a ValueError too, as callers have long caught it)."""


class PhotoTooLarge(PhotoError):
    """Over the limit in bytes or in pixels."""

    status = 413


@dataclass(frozen=True)
class Encoded:
    data: bytes
    content_type: str
    width: int
    height: int


@dataclass(frozen=True)
class Photo:
    image: Encoded
    thumb: Encoded
    source_format: str


@cache
def _heif_registered() -> bool:
    """Teach Pillow to read HEIC (iPhone photos) on first use, when pillow-heif is installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def check_size(size: int, limit: int = MAX_BYTES) -> None:
    if size > limit:
        raise PhotoTooLarge(f"This file is {size / 1024 / 1024:,.1f} MB; photos can be up to {limit / 1024 / 1024:,.0f} MB.")
    if size == 0:
        raise PhotoError("This file is empty. Please choose the photo again.")


def open_checked(data: bytes) -> Image.Image:
    """The image, opened but not decoded yet, once its real format and pixel count pass."""
    check_size(len(data))
    _heif_registered()
    try:
        with warnings.catch_warnings():
            # Past the limit Pillow only warns; the size check below refuses it in words.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        # DecompressionBombError here means an absurd size in the header: not a photo either way.
        raise PhotoError(f"This file is not a photo Afterglow can read. Please choose a {KINDS_WE_TAKE} image.") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise PhotoTooLarge(
            f"This photo is {width} × {height} pixels ({width * height / 1e6:.0f} megapixels); "
            f"photos can be up to {MAX_PIXELS // 1_000_000} megapixels. A smaller copy will do."
        )
    if width < 1 or height < 1:
        raise PhotoError("This photo has no pixels in it. Please choose another.")
    return image


def process_photo(data: bytes) -> Photo:
    """Stripped, upright, at most `LONGEST_SIDE` on its longest side, with a thumbnail."""
    image = open_checked(data)
    source_format = image.format or ""
    try:
        _decode_smaller(image)
        image.load()
        # In place: a 12 MP photo's pixels are 36 MB, and each copy of them would be as much again.
        ImageOps.exif_transpose(image, in_place=True)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise PhotoError("This photo seems damaged: it could not be read to the end. Please try another copy.") from None
    icc = image.info.get("icc_profile") if isinstance(image.info.get("icc_profile"), bytes) else None
    large = _plain_pixels(image)
    if max(large.size) > LONGEST_SIDE:
        large.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    return Photo(image=encode(large, icc), thumb=encode(_shrunk(large, THUMB_SIDE), icc), source_format=source_format)


def _decode_smaller(image: Image.Image) -> None:
    """A JPEG larger than we keep is decoded at 1/2, 1/4 or 1/8 scale: faster, and far less memory.

    libjpeg scales while it decodes, by halves. A kept photo may be a little under LONGEST_SIDE
    (down to DRAFT_SIDE) when that lets the decoder halve: a 4000 px phone photo is kept at
    2000 px from a half-scale decode rather than at 2048 px from a full one, four times the pixels.
    """
    scale = DRAFT_SIDE / max(image.size)
    if image.format == "JPEG" and scale <= 0.5:
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))


def _plain_pixels(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has transparency, with no info (tags, comments) left to travel with it.

    An image already in that mode is used as it is (its info emptied), not copied.
    """
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    plain = image if image.mode == mode else image.convert(mode)
    plain.info = {}
    return plain


def _shrunk(image: Image.Image, side: int) -> Image.Image:
    if max(image.size) <= side:
        return image
    smaller = image.copy()
    smaller.thumbnail((side, side), Image.Resampling.LANCZOS)
    return smaller


def encode(image: Image.Image, icc: bytes | None = None) -> Encoded:
    """JPEG for photos, PNG where there is transparency: only pixels (and the colour profile) are written."""
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if image.mode == "RGBA":
        image.save(out, format="PNG", optimize=False, **extra)
        kind = "image/png"
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra)
        kind = "image/jpeg"
    return Encoded(out.getvalue(), kind, image.width, image.height)
