from typing import Any

from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.media"
    label = "media"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from afterglow.journal import search, search_pg, timeline
        from afterglow.media.search import CAPTIONS, PG_CAPTIONS, caption_matches

        # The journal's lists and search show pictures without importing media.
        timeline.find_pictures_with(attach_thumbnails_lazily)
        search.add_index(CAPTIONS, caption_matches)
        search_pg.add_index(PG_CAPTIONS)


def attach_thumbnails_lazily(items: Any) -> None:
    # Imported when a list of entries is first shown, not at start: it brings Pillow
    # (~15 ms and ~5 MB), which a CLI verb that shows no pictures never needs.
    from afterglow.media.visual.pictures import attach_thumbnails

    attach_thumbnails(items)
