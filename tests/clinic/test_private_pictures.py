"""The drawings and photos of private entries on the clinic's server: sealed in PostgreSQL, open only to their patient."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from afterglow.care.models import Category
from afterglow.clinic.models import Role
from afterglow.insights import themes
from afterglow.journal import keyring as rings
from afterglow.journal.models import Entry, PrivateKeyring
from afterglow.journal.private import opening
from afterglow.media.visual import drawings
from afterglow.media.visual.models import Picture
from afterglow.trash import bin as trash
from afterglow.trash.models import TrashItem
from tests.clinic.people import PASSWORD, browser, member, post, recovery, signed_in
from tests.clinic.test_private import NEW_PASSWORD, anywhere_in_the_database, export_zip, pg_dump, reset, write
from tests.journal.course_factories import course, days_ago
from tests.media.images import canvas_png, encoded, picture, strokes

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

CAPTION = "Quillowmere"  # only ever written in a private picture's caption
SHOWN = "Brackenlight"  # a caption of a picture that is not private


@pytest.fixture
def patient() -> Any:
    return member("patient-p", Role.PATIENT)


def private_entry(client: Any, text: str = "A private page", *, private: bool = True) -> Entry:
    uid = uuid.uuid4()
    write(client, text, uid=uid, private=private)
    return Entry.objects.get(uid=uid)


def add_photo(client: Any, entry: Entry, caption: str = CAPTION, *, seed: int = 7) -> Picture:
    photo = SimpleUploadedFile("p.png", encoded(picture(300, 200, seed=seed), "PNG"), content_type="image/png")
    response = post(client, "/photos/new", {"photo": photo, "caption": caption, "entry": str(entry.pk)})
    assert response.status_code == 302, response.content
    return Picture.objects.filter(entry=entry, kind="photo").latest("id")


def add_drawing(client: Any, entry: Entry) -> Picture:
    uid = str(uuid.uuid4())
    files = {
        "png": SimpleUploadedFile("d.png", canvas_png(), content_type="image/png"),
        "strokes": SimpleUploadedFile("s.json", strokes(3), content_type="application/json"),
    }
    response = post(client, "/draw/save", {"uid": uid, "entry": str(entry.pk), **files})
    assert response.status_code == 200, response.content
    return Picture.objects.get(uid=uid)


def runs(data: bytes) -> list[str]:
    """Distinctive runs of a picture's bytes, in hex as pg_dump (and a row cast to text) writes bytea."""
    # From the compressed body (35%, 50% and 65% in), not the headers every JPEG or PNG of this size shares.
    return [data[len(data) * n // 20 :][:24].hex() for n in (7, 10, 13)]


def seen(client: Any, picture: Picture) -> tuple[bytes, bytes]:
    image, thumb = client.get(f"/pictures/{picture.pk}/image"), client.get(f"/pictures/{picture.pk}/thumb")
    assert image.status_code == 200 and thumb.status_code == 200
    return image.content, thumb.content


def in_dump(dump: str, data: bytes) -> bool:
    return any(run in dump for run in runs(data))


def in_tables(data: bytes) -> list[str]:
    return sorted({table for run in runs(data) for table in anywhere_in_the_database(run + "0")})


@pytest.mark.django_db(transaction=True)  # committed, so another process (pg_dump) sees the rows
def test_it_keeps_a_private_drawing_and_photo_out_of_pg_dump_and_every_table(patient):
    client = signed_in(patient)
    entry = private_entry(client)
    photo, drawing = add_photo(client, entry), add_drawing(client, entry)
    (photo_image, photo_thumb), (drawing_image, drawing_thumb) = seen(client, photo), seen(client, drawing)
    lines = drawings.clean_strokes(strokes(3))
    open_entry = private_entry(client, "Not private", private=False)
    shown = add_photo(client, open_entry, SHOWN, seed=9)
    shown_image, _ = seen(client, shown)
    dump = pg_dump()
    for data in (photo_image, photo_thumb, drawing_image, drawing_thumb):
        assert not any(run in shown_image.hex() for run in runs(data))  # distinctive of this picture
        assert not in_dump(dump, data) and in_tables(data) == []
    assert lines.hex() not in dump and in_tables(lines) == []
    assert CAPTION[:-1] not in dump and anywhere_in_the_database(CAPTION) == []
    assert in_dump(dump, shown_image) and SHOWN in dump  # what is not private is stored as it was (the test can see it)
    with connection.cursor() as cur:  # the caption search index holds none of its words
        cur.execute("SELECT count(*) FROM media_picture WHERE search_tsv @@ to_tsquery('afterglow', %s)", [CAPTION])
        assert cur.fetchone()[0] == 0


def test_it_shows_the_patient_the_picture_thumbnail_strokes_and_caption(patient):
    client = signed_in(patient)
    entry = private_entry(client)
    photo, drawing = add_photo(client, entry), add_drawing(client, entry)
    image, thumb = seen(client, photo)
    assert image[:3] in (b"\xff\xd8\xff", b"\x89PN") and thumb[:3] in (b"\xff\xd8\xff", b"\x89PN")
    assert seen(client, drawing)[0].startswith(b"\x89PNG")
    assert CAPTION in client.get(f"/pictures/{photo.pk}").content.decode()
    assert CAPTION in client.get(f"/entries/{entry.pk}").content.decode()  # the thumbnails' captions
    assert CAPTION in client.get("/timeline").content.decode()
    editor = client.get(f"/drawings/{drawing.pk}").content.decode()
    assert 'data-strokes="3"' in editor and "#2f3a4a" in editor  # the strokes open again as lines to edit
    stored = Picture.objects.with_bytes().get(pk=photo.pk)  # no key in the test itself: as stored
    assert stored.sealed and stored.locked and stored.caption == "" and stored.image == b"" and stored.thumb == b""


def test_it_keeps_an_edited_caption_of_a_private_picture_sealed(patient):
    client = signed_in(patient)
    photo = add_photo(client, private_entry(client))
    image, thumb = seen(client, photo)
    secret = rings.unlock_with_password(PrivateKeyring.objects.get(owner=patient), PASSWORD)
    assert secret is not None
    with opening(patient.pk, secret):
        found = Picture.objects.get(pk=photo.pk)  # its bytes deferred: opened as they load
        assert found.caption == CAPTION and not found.locked
        assert bytes(found.image) == image and bytes(found.thumb) == thumb
        found.caption = f"{CAPTION} at dusk"
        found.save(update_fields=["caption"])
    assert anywhere_in_the_database(CAPTION) == []
    assert f"{CAPTION} at dusk" in client.get(f"/pictures/{photo.pk}").content.decode()


def test_it_never_serves_a_private_picture_to_a_clinician_or_code_without_the_key(patient):
    dr = member("dr-full", Role.CLINICIAN)
    client = signed_in(patient)
    entry = private_entry(client)
    photo, drawing = add_photo(client, entry), add_drawing(client, entry)
    data = {"categories": [c.value for c in Category], "entries": [entry.pk]}
    assert post(client, f"/clinic/sharing/{dr.pk}", data).status_code == 302
    image, _ = seen(client, photo)
    clinician = signed_in(dr)
    for url in (f"/pictures/{photo.pk}/image", f"/pictures/{photo.pk}/thumb", f"/pictures/{photo.pk}", f"/drawings/{drawing.pk}"):
        response = clinician.get(url)
        assert response.status_code in (302, 403, 404) and image[len(image) // 2 :][:24] not in response.content, url
    for url in [f"/clinic/patients/{patient.pk}"] + [f"/clinic/patients/{patient.pk}/{c.value}" for c in Category]:
        assert CAPTION not in clinician.get(url).content.decode(), url
    rows = list(Picture.objects.with_bytes().filter(entry=entry))  # a job, or a clinician's code, reading the rows
    assert all(p.locked and p.image == b"" and p.thumb == b"" and p.strokes is None and p.caption == "" for p in rows)
    assert CAPTION not in str(rows[0]) + rows[0].alt


def test_it_seals_pictures_when_the_entry_is_marked_private_and_opens_them_when_unmarked(patient):
    client = signed_in(patient)
    entry = private_entry(client, "Not yet private", private=False)
    photo = add_photo(client, entry)
    image, _ = seen(client, photo)
    assert anywhere_in_the_database(CAPTION) != [] and in_tables(image) != []
    write(client, "Not yet private", uid=entry.uid, private=True)
    assert anywhere_in_the_database(CAPTION) == [] and in_tables(image) == []
    assert seen(client, photo)[0] == image and CAPTION in client.get(f"/pictures/{photo.pk}").content.decode()
    write(client, "Not yet private", uid=entry.uid, private=False)
    assert Picture.objects.filter(pk=photo.pk, sealed=False, caption=CAPTION).exists()
    assert bytes(Picture.objects.with_bytes().get(pk=photo.pk).image) == image


def test_it_seals_a_drawing_saved_again_by_autosave_into_a_private_entry(patient):
    client = signed_in(patient)
    drawing = add_drawing(client, private_entry(client))
    png = canvas_png(lines=False)
    files = {
        "png": SimpleUploadedFile("d.png", png, content_type="image/png"),
        "strokes": SimpleUploadedFile("s.json", strokes(1), content_type="application/json"),
    }
    response = post(client, "/draw/save", {"uid": str(drawing.uid), **files})
    assert response.status_code == 200 and json.loads(response.content)["strokes"] == 1
    image, _ = seen(client, drawing)
    assert in_tables(image) == [] and Picture.objects.get(pk=drawing.pk).sealed
    assert 'data-strokes="1"' in client.get(f"/drawings/{drawing.pk}").content.decode()


def test_it_brings_a_private_picture_back_from_the_trash_still_sealed_and_shown(patient):
    client = signed_in(patient)
    entry = private_entry(client)
    photo = add_photo(client, entry)
    image, _ = seen(client, photo)
    assert post(client, f"/pictures/{photo.pk}/delete").status_code == 302
    item = TrashItem.objects.get(owner=patient)
    kept = next(o["fields"] for o in json.loads(item.payload)["objects"] if o["model"] == "media.picture")
    assert CAPTION not in item.payload and kept["sealed"] and kept["caption"] == ""
    assert image[len(image) // 2 :][:24] not in base64.b64decode(kept["image"])  # in the Trash as stored: sealed
    assert anywhere_in_the_database(CAPTION) == [] and in_tables(image) == []
    trash.restore(item)
    assert Picture.objects.get(pk=photo.pk).sealed
    assert seen(client, photo)[0] == image and CAPTION in client.get(f"/pictures/{photo.pk}").content.decode()
    whole = trash.put(Entry.objects.get(pk=entry.pk))  # the entry with its picture
    kept = next(o["fields"] for o in json.loads(whole.payload)["objects"] if o["model"] == "media.picture")
    assert CAPTION not in whole.payload and image[len(image) // 2 :][:24] not in base64.b64decode(kept["image"])
    trash.restore(whole)
    assert seen(client, photo)[0] == image


def test_it_still_opens_private_pictures_after_a_password_change_and_with_the_recovery_key(patient):
    client = signed_in(patient)
    photo = add_photo(client, private_entry(client))
    image, _ = seen(client, photo)
    assert in_tables(image) == []  # stored sealed, yet opened for her below
    form = {"current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD}
    assert post(client, "/account/password", form).status_code == 302
    again = browser()
    assert post(again, "/login", {"username": patient.username, "password": NEW_PASSWORD}).status_code == 302
    assert seen(again, photo)[0] == image
    after_reset = reset(patient)
    assert after_reset.get("/")["Location"] == "/account/private/locked"
    data = {"action": "recover", "recovery_key": recovery[patient.pk], "password": NEW_PASSWORD}
    assert post(after_reset, "/account/private/locked", data).status_code == 302
    assert seen(after_reset, photo)[0] == image and CAPTION in after_reset.get(f"/pictures/{photo.pk}").content.decode()


def test_it_keeps_a_patient_with_only_sealed_pictures_on_the_recovery_key_after_a_reset(patient):
    client = signed_in(patient)
    entry = Entry.objects.create(owner=patient, mode=Entry.Mode.IMAGE, private=True)  # no words, only a photo
    photo = add_photo(client, entry)
    client = reset(patient)
    assert client.get("/")["Location"] == "/account/private/locked"  # not a new key that would lock the photo for good
    data = {"action": "recover", "recovery_key": recovery[patient.pk], "password": NEW_PASSWORD}
    assert post(client, "/account/private/locked", data).status_code == 302
    assert client.get(f"/pictures/{photo.pk}/image").status_code == 200


def test_it_does_not_open_a_sealed_picture_copied_onto_another_row(patient):
    client = signed_in(patient)
    entry = private_entry(client)
    first, second = add_photo(client, entry, seed=1), add_photo(client, entry, f"{CAPTION} two", seed=2)
    first_image, _ = seen(client, first)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE media_picture AS b SET image = a.image, thumb = a.thumb, caption_sealed = a.caption_sealed "
            "FROM media_picture AS a WHERE a.id = %s AND b.id = %s",
            [first.pk, second.pk],
        )
    for url in (f"/pictures/{second.pk}/image", f"/pictures/{second.pk}/thumb"):
        response = client.get(url)
        assert response.status_code == 409 and response["Content-Type"] == "image/svg+xml", url
        assert first_image[len(first_image) // 2 :][:24] not in response.content
    page = client.get(f"/pictures/{second.pk}")
    assert page.status_code == 200 and "is locked" in page.content.decode() and CAPTION not in page.content.decode()
    assert client.get(f"/drawings/{second.pk}").status_code == 302
    assert seen(client, first)[0] == first_image  # the row it came from still opens
    assert post(client, f"/pictures/{second.pk}/delete").status_code == 302  # a locked picture still goes to the Trash
    trash.restore(TrashItem.objects.get(owner=patient))
    assert client.get(f"/pictures/{second.pk}/image").status_code == 409  # back as it was stored: still locked


def test_it_finds_a_private_pictures_caption_only_for_its_own_patient(patient):
    client = signed_in(patient)
    photo = add_photo(client, private_entry(client), f"The {CAPTION} over the water")
    assert anywhere_in_the_database(CAPTION) == []  # no index holds the word: the search opens the caption itself
    page = client.get("/search", {"q": CAPTION.lower()}).content.decode()
    assert f"/pictures/{photo.pk}" in page and f"<mark>{CAPTION}</mark>" in page
    assert f"/pictures/{photo.pk}" not in client.get("/search", {"q": f"{CAPTION} mountain"}).content.decode()
    other = member("patient-q", Role.PATIENT)
    assert f"/pictures/{photo.pk}" not in signed_in(other).get("/search", {"q": CAPTION}).content.decode()


def test_it_exports_the_patients_own_private_pictures_opened(patient):
    client = signed_in(patient)
    drawing = add_drawing(client, private_entry(client))
    photo = add_photo(client, drawing.entry)
    (image, thumb), (drawn, _) = seen(client, photo), seen(client, drawing)
    assert in_tables(image) == [] and in_tables(drawn) == []  # stored sealed, exported opened
    with export_zip(client, "json") as archive:
        exported = archive.read("afterglow.json").decode()
        files = {name: archive.read(name) for name in archive.namelist() if name.startswith("media/pictures/")}
    assert CAPTION in exported and '"caption_sealed"' not in exported and '"sealed"' not in exported
    assert image in files.values() and thumb in files.values() and drawn in files.values()
    assert drawings.clean_strokes(strokes(3)) in files.values()
    with export_zip(client, "md") as archive:
        pages = [archive.read(name) for name in archive.namelist()]
    assert image in pages and any(CAPTION.encode() in page for page in pages)


def test_it_seals_pictures_of_private_entries_left_from_before_at_the_next_sign_in(patient):
    client = signed_in(patient)
    entry = private_entry(client, "Open for now", private=False)
    photo = add_photo(client, entry)
    image, _ = seen(client, photo)
    Entry.objects.filter(pk=entry.pk).update(private=True)  # marked private before pictures were sealed
    assert anywhere_in_the_database(CAPTION) != []
    again = signed_in(patient)
    assert anywhere_in_the_database(CAPTION) == [] and in_tables(image) == []
    assert seen(again, photo)[0] == image


def test_it_gives_the_patients_own_themes_the_captions_of_private_pictures(patient):
    c = course(patient, days_ago(40))
    client = signed_in(patient)
    for n in range(3):
        add_photo(client, private_entry(client, f"Page {n}"), "The lantern maker smiled.", seed=n)
    assert anywhere_in_the_database("lantern maker") == []
    secret = rings.unlock_with_password(PrivateKeyring.objects.get(owner=patient), PASSWORD)
    assert secret is not None
    with opening(patient.pk, secret):
        assert "lantern maker smiled" in [t.name for t in themes.compute(c).words]
