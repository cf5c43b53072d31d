"""The journal's lists show an entry's pictures, found by media through the finder it registers."""

from __future__ import annotations

from afterglow.journal import timeline
from afterglow.media.apps import attach_thumbnails_lazily
from afterglow.media.visual.models import Picture
from tests.journal.course_factories import entry
from tests.media.images import encoded, picture
from tests.media.test_photo_views import upload


def test_media_registers_its_picture_finder_with_the_journal():
    # A wrapper that imports the pictures module (and Pillow) when a list is first shown, not at start.
    assert attach_thumbnails_lazily in timeline._picture_finders


def test_the_timeline_shows_a_photo_of_an_entry_as_a_thumbnail(client, patient):
    e = entry(patient, "A page of the garden")
    upload(client, encoded(picture(300, 200), "PNG"), name="x.png", kind="image/png", entry=str(e.pk))
    [item] = [i for i in timeline.page(patient).items if i.kind == "entry"]
    assert [thumb.id for thumb in item.pictures] == [Picture.objects.get().pk]
    assert f"/pictures/{Picture.objects.get().pk}/thumb" in client.get("/timeline").content.decode()
