"""Photos and drawings: what taking one in costs on this machine.

    .venv/bin/python bench/bench_images.py [--repeat 5]

Times `process_photo` (open and check, EXIF orientation, strip every tag,
downscale to 2048 px, 320 px thumbnail) on a generated 12-megapixel camera
JPEG with GPS EXIF, and on the same photo as PNG and (when pillow-heif is
installed) HEIC; then the drawing save path (`clean_png` + `clean_strokes`) on
a full canvas. Prints the median and best of `--repeat` runs, and the
process's peak memory. Figures only; see bench/README.md.

Each photo is also set against the Pillow floor: the same steps in Pillow alone
(open, the same reduced-scale decode, EXIF orientation, 2048 px, JPEG, 320 px
thumbnail, JPEG), run alternately with `process_photo`; and the peak memory of
a fresh process that takes one photo in (and of one that does the floor, and
of one that only imports), so the pictures this script makes are not counted.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from afterglow.media.visual import drawings, photos
from afterglow.media.visual.photos import process_photo

WIDTH, HEIGHT = 4000, 3000  # 12 megapixels, a common phone camera


def camera_photo() -> Image.Image:
    """A busy 12 MP picture: gradients, shapes and grain, so the encoders have real work to do."""
    base = Image.merge("RGB", [
        Image.linear_gradient("L").resize((WIDTH, HEIGHT)),
        Image.radial_gradient("L").resize((WIDTH, HEIGHT)),
        Image.linear_gradient("L").rotate(90).resize((WIDTH, HEIGHT)),
    ])  # fmt: skip
    draw = ImageDraw.Draw(base)
    for i in range(60):
        x, y = (i * 7919) % WIDTH, (i * 104729) % HEIGHT
        draw.ellipse((x, y, x + 300, y + 200), fill=((i * 37) % 256, (i * 91) % 256, (i * 53) % 256))
    noise = Image.effect_noise((WIDTH, HEIGHT), 24).convert("RGB")
    return Image.blend(base, noise, 0.12).filter(ImageFilter.SMOOTH)


def gps_exif() -> Image.Exif:
    from PIL.ExifTags import GPS, IFD, Base

    exif = Image.Exif()
    exif[Base.Orientation] = 6
    exif[IFD.GPSInfo] = {GPS.GPSLatitudeRef: "N", GPS.GPSLatitude: (51.0, 30.0, 1.0)}
    return exif


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def heic(image: Image.Image) -> bytes | None:
    try:
        import pillow_heif
    except ImportError:
        return None
    out = io.BytesIO()
    pillow_heif.from_pillow(image).save(out, quality=85)
    return out.getvalue()


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), min(runs)


def pillow_floor(data: bytes) -> None:
    """What taking the photo in costs in Pillow alone: no checks, no tag handling, nothing kept."""
    try:
        from pillow_heif import register_heif_opener

        register_heif_opener()
    except ImportError:
        pass
    image = Image.open(io.BytesIO(data))
    if image.format == "JPEG":
        scale = getattr(photos, "DRAFT_SIDE", photos.LONGEST_SIDE) / max(image.size)  # (older code: no DRAFT_SIDE)
        if scale <= 0.5:
            image.draft("RGB", (int(image.width * scale) + 1, int(image.height * scale) + 1))
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((photos.LONGEST_SIDE, photos.LONGEST_SIDE), Image.Resampling.LANCZOS)
    upright.save(io.BytesIO(), format="JPEG", quality=photos.JPEG_QUALITY, optimize=True, progressive=True)
    upright.thumbnail((photos.THUMB_SIDE, photos.THUMB_SIDE), Image.Resampling.LANCZOS)
    upright.save(io.BytesIO(), format="JPEG", quality=photos.JPEG_QUALITY, optimize=True, progressive=True)


def alternated(a: Callable[[], object], b: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Medians of a and b, run one after the other `repeat` times."""
    runs_a, runs_b = [], []
    for _ in range(repeat):
        runs_a.append(timed(a, 1)[0])
        runs_b.append(timed(b, 1)[0])
    return statistics.median(runs_a), statistics.median(runs_b)


PEAK = """
import sys
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
from bench_images import pillow_floor
from afterglow.media.visual.photos import process_photo
data = open({path!r}, "rb").read()
{work}
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024)
"""


def peak_mib(path: Path, work: str) -> float:
    code = PEAK.format(root=str(Path(__file__).resolve().parents[1]), bench=str(Path(__file__).resolve().parent),
                       path=str(path), work=work)  # fmt: skip
    return float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)


def drawing_inputs() -> tuple[bytes, bytes]:
    pal = drawings.palette()
    canvas = Image.new("RGBA", (pal.width, pal.height), pal.paper)
    draw = ImageDraw.Draw(canvas)
    strokes = []
    for i in range(200):
        points = [[(i * 13 + j * 7) % pal.width, (i * 29 + j * 11) % pal.height, 0.5] for j in range(100)]
        draw.line([tuple(p[:2]) for p in points], fill=pal.colours[i % len(pal.colours)].hex, width=6)
        strokes.append({"c": pal.colours[i % len(pal.colours)].hex, "w": 6, "e": False, "p": points})
    return encoded(canvas, "PNG"), json.dumps({"v": 1, "strokes": strokes}).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    photo = camera_photo()
    inputs = {"JPEG": encoded(photo, "JPEG", quality=92, exif=gps_exif()), "PNG": encoded(photo, "PNG", compress_level=1)}
    made = heic(photo)
    if made:
        inputs["HEIC"] = made
    print(f"Photos: a {WIDTH}×{HEIGHT} ({WIDTH * HEIGHT / 1e6:.0f} MP) picture → 2048 px + 320 px thumbnail, all tags removed")
    for name, data in inputs.items():
        median, best = timed(lambda data=data: process_photo(data), args.repeat)
        out = process_photo(data)
        stored = f"stored {len(out.image.data) / 1e3:5.0f} kB + thumb {len(out.thumb.data) / 1e3:3.0f} kB"
        print(f"  {name:<5} in {len(data) / 1e6:6.1f} MB → {stored}:  median {median * 1000:6.0f} ms, best {best * 1000:6.0f} ms")
    print(f"Against the Pillow floor ({args.repeat} alternated runs each), and peak memory of one fresh process:")
    for name, data in inputs.items():
        ours, floor = alternated(lambda data=data: process_photo(data), lambda data=data: pillow_floor(data), args.repeat)
        with tempfile.NamedTemporaryFile(suffix="." + name.lower()) as f:
            f.write(data)
            f.flush()
            peaks = {w: peak_mib(Path(f.name), work) for w, work in
                     (("import only", "pass"), ("floor", "pillow_floor(data)"), ("ours", "process_photo(data)"))}  # fmt: skip
        print(f"  {name:<5} ours {ours * 1000:5.0f} ms, floor {floor * 1000:5.0f} ms ({ours / floor:.2f}×); peak MiB: "
              + ", ".join(f"{w} {v:.0f}" for w, v in peaks.items()))  # fmt: skip
    png, strokes = drawing_inputs()
    median, best = timed(lambda: (drawings.clean_png(png), drawings.clean_strokes(strokes)), args.repeat)
    print(f"Drawing save (1200×900 PNG {len(png) / 1e3:.0f} kB + 200 strokes / 20,000 points, {len(strokes) / 1e3:.0f} kB JSON):")
    print(f"  median {median * 1000:.0f} ms, best {best * 1000:.0f} ms")
    print(f"Peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
