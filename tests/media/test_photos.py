"""Photos in: real format checked by opening, limits before decoding, upright, tag-free, smaller, thumbnailed."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PIL.ExifTags import IFD

from afterglow.media.visual import photos
from afterglow.media.visual.photos import PhotoError, process_photo
from tests.media.images import encoded, jpeg_with_gps, picture


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_photo_with_gps_exif_comes_out_with_no_exif_at_all():
    source = jpeg_with_gps()
    assert opened(source).getexif().get_ifd(IFD.GPSInfo)  # the test photo really carries a position
    photo = process_photo(source)
    for stored in (photo.image.data, photo.thumb.data):
        image = opened(stored)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and "comment" not in image.info and "xmp" not in image.info
        assert b"CanaryCam" not in stored and b"Exif" not in stored and b"taken at home" not in stored


def test_it_turns_the_photo_upright_by_its_exif_orientation_before_dropping_it():
    # Orientation 6: the camera was turned; the pixels are stored sideways and must be rotated 90° clockwise.
    photo = process_photo(jpeg_with_gps(400, 300, orientation=6))
    image = opened(photo.image.data).convert("RGB")
    assert image.size == (300, 400)
    # The red corner mark (top-left of the stored pixels) is now at the top-right.
    assert is_red(image.getpixel((290, 10))) and not is_red(image.getpixel((10, 10)))


def is_red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 180 and g < 80 and b < 80


def test_it_downscales_a_large_photo_and_makes_a_small_thumbnail():
    photo = process_photo(encoded(picture(4000, 3000), "PNG"))
    assert (photo.image.width, photo.image.height) == (2048, 1536)
    assert max(photo.thumb.width, photo.thumb.height) == photos.THUMB_SIDE
    assert opened(photo.image.data).size == (2048, 1536)


def test_it_decodes_a_4000_px_jpeg_at_half_scale_and_keeps_it_at_2000_px():
    photo = process_photo(encoded(picture(4000, 3000), "JPEG", quality=80))
    assert (photo.image.width, photo.image.height) == (2000, 1500)
    assert max(photo.thumb.width, photo.thumb.height) == photos.THUMB_SIDE


def test_it_decodes_a_jpeg_only_a_little_larger_than_it_keeps_at_full_scale():
    photo = process_photo(encoded(picture(3000, 2000), "JPEG", quality=80))
    assert (photo.image.width, photo.image.height) == (2048, 1365)


def test_it_keeps_a_small_photo_at_its_size():
    photo = process_photo(encoded(picture(800, 600), "PNG"))
    assert (photo.image.width, photo.image.height) == (800, 600)
    assert photo.image.content_type == "image/jpeg"


def test_it_keeps_transparency_as_png():
    image = Image.new("RGBA", (200, 100), (10, 20, 30, 0))
    photo = process_photo(encoded(image, "PNG"))
    assert photo.image.content_type == "image/png" and opened(photo.image.data).mode == "RGBA"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_it_takes_the_usual_formats(fmt):
    photo = process_photo(encoded(picture(300, 200), fmt))
    assert photo.source_format == fmt and photo.image.width == 300


def test_it_takes_heic_from_a_phone():
    pillow_heif = pytest.importorskip("pillow_heif")
    out = io.BytesIO()
    pillow_heif.from_pillow(picture(320, 240)).save(out, quality=80)
    photo = process_photo(out.getvalue())
    assert photo.source_format == "HEIF" and (photo.image.width, photo.image.height) == (320, 240)


def test_it_judges_the_file_by_its_bytes_not_its_name():
    with pytest.raises(PhotoError, match="not a photo"):
        process_photo(b"%PDF-1.7\n" + b"0" * 2000)
    with pytest.raises(PhotoError, match="not a photo"):
        process_photo(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")


def test_it_refuses_formats_outside_the_list_even_when_pillow_could_read_them():
    with pytest.raises(PhotoError, match="JPEG, PNG, WebP or HEIC"):
        process_photo(encoded(picture(50, 50), "BMP"))


def test_it_refuses_over_40_megapixels_from_the_header_without_decoding():
    # 8000 × 5001 pixels: a PNG that is tiny on disk but would need 120 MB to decode.
    huge = encoded(Image.new("L", (8000, 5001)), "PNG", optimize=True)
    assert len(huge) < 1_000_000
    with pytest.raises(PhotoError, match="40 megapixels"):
        process_photo(huge)


def test_it_refuses_an_absurd_decompression_bomb():
    bomb = encoded(Image.new("1", (20000, 20000)), "PNG", optimize=True)
    with pytest.raises(PhotoError):
        process_photo(bomb)


def test_it_says_a_cut_off_photo_is_damaged():
    data = encoded(picture(600, 400), "JPEG")
    with pytest.raises(PhotoError, match="damaged"):
        process_photo(data[: len(data) // 2])


def test_a_cut_off_photo_is_still_damaged_after_a_report_was_made():
    from afterglow.reports import pdf

    pdf._weasyprint()  # importing WeasyPrint loosens Pillow for the whole process
    data = encoded(picture(600, 400), "JPEG")
    with pytest.raises(PhotoError, match="damaged"):
        process_photo(data[: len(data) // 2])


def test_it_refuses_an_empty_file_and_one_over_200_mb():
    with pytest.raises(PhotoError, match="empty"):
        process_photo(b"")
    with pytest.raises(PhotoError, match="200 MB"):
        photos.check_size(200 * 1024 * 1024 + 1)
