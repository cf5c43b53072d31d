"""The photo form, a picture's page and bytes, and deleting: through a client that enforces CSRF."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from afterglow.journal.models import Entry
from afterglow.media.visual.models import Picture
from tests.journal.course_factories import course, days_ago, entry, session, stranger, submit
from tests.media.images import encoded, jpeg_with_gps, picture


def upload(client, data: bytes, *, name: str = "photo.jpg", kind: str = "image/jpeg", **fields):
    file = SimpleUploadedFile(name, data, content_type=kind)
    return submit(client, "/photos/new", {"photo": file, **fields})


def test_the_form_can_take_a_photo_on_a_phone_and_names_the_session(client, patient):
    s = session(patient, course(patient), days_ago(1))
    body = client.get(f"/photos/new?session={s.pk}").content.decode()
    assert 'type="file"' in body and 'accept="image/*"' in body and "capture=" in body
    assert 'enctype="multipart/form-data"' in body and f'name="session" value="{s.pk}"' in body
    assert f"Session {s.number}" in body


def test_a_photo_uploaded_with_gps_is_served_without_any_exif(client, patient):
    s = session(patient, course(patient), days_ago(1))
    response = upload(client, jpeg_with_gps(), session=str(s.pk), caption="The  page  I wrote at the clinic")
    picture_row = Picture.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pictures/{picture_row.pk}"
    assert picture_row.caption == "The page I wrote at the clinic"
    assert picture_row.entry.mode == Entry.Mode.IMAGE and picture_row.entry.session == s

    served = client.get(f"/pictures/{picture_row.pk}/image")
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(served.content))
    assert dict(image.getexif()) == {} and b"CanaryCam" not in served.content

    thumb = client.get(f"/pictures/{picture_row.pk}/thumb")
    assert thumb["Content-Type"] == "image/jpeg" and max(Image.open(io.BytesIO(thumb.content)).size) == 320


def test_a_photo_added_from_an_entry_joins_that_entry(client, patient):
    e = entry(patient, "Words first, then the picture")
    upload(client, encoded(picture(300, 200), "PNG"), name="x.png", kind="image/png", entry=str(e.pk))
    assert Picture.objects.get().entry == e
    assert Entry.objects.count() == 1
    page = client.get(f"/entries/{e.pk}").content.decode()
    assert f"/pictures/{Picture.objects.get().pk}/thumb" in page


def test_a_file_that_only_claims_to_be_a_photo_is_refused_and_the_caption_kept(client, patient):
    response = upload(client, b"just some text, not an image at all" * 20, caption="my kitchen table")
    assert response.status_code == 400
    body = response.content.decode()
    assert "not a photo Afterglow can read" in body and 'value="my kitchen table"' in body
    assert Picture.objects.count() == 0 and Entry.objects.count() == 0


def test_a_photo_over_40_megapixels_is_refused_with_its_size(client, patient):
    huge = encoded(Image.new("L", (8000, 5001)), "PNG", optimize=True)
    response = upload(client, huge, name="big.png", kind="image/png", caption="a wide view")
    assert response.status_code == 413
    assert "40 megapixels" in response.content.decode() and 'value="a wide view"' in response.content.decode()
    assert Picture.objects.count() == 0 and Entry.objects.count() == 0


def test_a_damaged_photo_is_refused_and_nothing_is_half_saved(client, patient):
    data = jpeg_with_gps()
    response = upload(client, data[: len(data) // 3])
    assert response.status_code == 400 and "damaged" in response.content.decode()
    assert Picture.objects.count() == 0 and Entry.objects.count() == 0


def test_a_form_without_a_photo_asks_for_one(client, patient):
    response = submit(client, "/photos/new", {"caption": "forgot the file"})
    assert response.status_code == 400 and "No photo came with the form" in response.content.decode()


def test_a_too_long_caption_is_refused_and_kept(client, patient):
    response = upload(client, jpeg_with_gps(), caption="x" * 1001)
    assert response.status_code == 400 and "up to 1000 characters" in response.content.decode()
    assert Picture.objects.count() == 0


def test_someone_elses_session_or_picture_is_not_found(client, patient):
    other = stranger()
    theirs = session(other, course(other), days_ago(2))
    assert client.get(f"/photos/new?session={theirs.pk}").status_code == 404
    assert upload(client, jpeg_with_gps(), session=str(theirs.pk)).status_code == 404
    upload(client, jpeg_with_gps())
    mine = Picture.objects.get()
    Picture.objects.filter(pk=mine.pk).update(owner=other)
    for tail in ("", "/image", "/thumb", "/delete"):
        assert client.get(f"/pictures/{mine.pk}{tail}").status_code == 404, tail


def test_deleting_asks_first_then_removes_the_photo_and_its_own_entry(client, patient):
    s = session(patient, course(patient), days_ago(1))
    upload(client, jpeg_with_gps(), session=str(s.pk))
    pic = Picture.objects.get()
    confirm = client.get(f"/pictures/{pic.pk}/delete")
    assert confirm.status_code == 200 and "Yes, delete it" in confirm.content.decode()
    assert Picture.objects.count() == 1
    response = submit(client, f"/pictures/{pic.pk}/delete", {})
    assert response.status_code == 302 and response["Location"] == f"/sessions/{s.pk}"
    assert Picture.objects.count() == 0 and Entry.objects.count() == 0


def test_deleting_a_photo_from_an_entry_keeps_the_entry_and_its_words(client, patient):
    e = entry(patient, "Keep these words")
    upload(client, jpeg_with_gps(), entry=str(e.pk))
    response = submit(client, f"/pictures/{Picture.objects.get().pk}/delete", {})
    assert response["Location"] == f"/entries/{e.pk}"
    assert Entry.objects.get().text == "Keep these words"


def test_the_timeline_shows_a_thumbnail_without_reading_any_picture_bytes(client, patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    upload(client, jpeg_with_gps(), caption="sunlight on the wall")
    pic = Picture.objects.get()
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/timeline").content.decode()
    assert f'src="/pictures/{pic.pk}/thumb"' in body and 'alt="sunlight on the wall"' in body
    picture_queries = [q["sql"] for q in queries.captured_queries if "media_picture" in q["sql"]]
    assert len(picture_queries) == 1
    assert '"image"' not in picture_queries[0] and '"thumb"' not in picture_queries[0]


@override_settings(MEDIA_MAX_UPLOAD_BYTES=4000, FILE_UPLOAD_MAX_MEMORY_SIZE=5000)
def test_a_file_over_the_upload_limit_is_dropped_on_arrival_and_refused_with_the_caption_kept(client, patient):
    big = jpeg_with_gps(900, 700)
    assert len(big) > 5000
    response = upload(client, big, caption="too big to keep")
    assert response.status_code == 413
    body = response.content.decode()
    assert "photos can be up to" in body and 'value="too big to keep"' in body
    assert Picture.objects.count() == 0 and Entry.objects.count() == 0


@override_settings(MEDIA_MAX_UPLOAD_BYTES=4000)
def test_a_file_just_over_the_limit_is_refused_too(client, patient):
    response = upload(client, b"x" * 4500)
    assert response.status_code == 413
