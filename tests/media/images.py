"""Test pictures made on the spot with Pillow: photos with GPS tags, drawings, strokes."""

from __future__ import annotations

import io
import json
import random

from PIL import Image, ImageDraw
from PIL.ExifTags import GPS, IFD, Base

# A place a photo should never reveal: these numbers must not survive processing.
LATITUDE = (51.0, 30.0, 12.5)
LONGITUDE = (0.0, 7.0, 39.0)


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[Base.Make] = "CanaryCam"
    exif[Base.Model] = "Model-7731"
    exif[Base.Orientation] = orientation
    exif[IFD.GPSInfo] = {
        GPS.GPSLatitudeRef: "N", GPS.GPSLatitude: LATITUDE, GPS.GPSLongitudeRef: "W", GPS.GPSLongitude: LONGITUDE,
    }  # fmt: skip
    return exif


def picture(width: int = 640, height: int = 480, seed: int = 7) -> Image.Image:
    """Something photo-like: a gradient with shapes and a little noise, so it does not compress to nothing."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(10, max(11, width // 6))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    # The top-left corner is marked red, to see which way up the stored photo is.
    draw.rectangle((0, 0, width // 8, height // 8), fill=(220, 20, 20))
    return image


def jpeg_with_gps(width: int = 640, height: int = 480, orientation: int = 1) -> bytes:
    out = io.BytesIO()
    picture(width, height).save(out, format="JPEG", quality=90, exif=gps_exif(orientation), comment=b"taken at home")
    return out.getvalue()


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def canvas_png(width: int = 1200, height: int = 900, paper: str = "#fbf8f2", lines: bool = True) -> bytes:
    image = Image.new("RGBA", (width, height), paper)
    if lines:
        ImageDraw.Draw(image).line((100, 100, 900, 700), fill="#2f3a4a", width=10)
    return encoded(image, "PNG")


def strokes(count: int = 2, colour: str = "#2f3a4a") -> bytes:
    data = {"v": 1, "strokes": [
        {"c": colour, "w": 10, "e": False, "p": [[100 + i * 10, 100, 0.5], [300 + i * 10, 400.25, 0.5]]} for i in range(count)
    ]}  # fmt: skip
    return json.dumps(data).encode()
