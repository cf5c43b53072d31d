from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save


class Config(AppConfig):
    name = "afterglow.media"
    label = "media"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from afterglow.journal import search, search_pg, timeline
        from afterglow.journal.models import Entry
        from afterglow.media.search import CAPTIONS, PG_CAPTIONS, caption_matches
        from afterglow.media.voice import privacy
        from afterglow.media.voice.models import VoiceNote
        from afterglow.trash import bin as trash

        # The journal's lists and search show pictures without importing media.
        timeline.find_pictures_with(attach_thumbnails_lazily)
        search.add_index(CAPTIONS, caption_matches)
        search_pg.add_index(PG_CAPTIONS)
        # A clinic's entry marked private (or no longer) seals (or opens) its pictures in the same save.
        post_save.connect(_entry_saved, sender="journal.Entry", dispatch_uid="media_pictures_follow_private")
        # A clinic seals a private entry's recording as the entry is marked, and opens it as the mark goes.
        post_save.connect(follow_private_mark, sender=Entry, dispatch_uid="media.voice.follow_private_mark")
        # ... and a new recording of a private entry (an upload, an import) goes in sealed.
        pre_save.connect(seal_new_recording, sender=VoiceNote, dispatch_uid="media.voice.seal_new_recording")
        trash.after_put.append(privacy.forget_in_trash)  # the transcriber's copy of a key never waits in the Trash


def follow_private_mark(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        return  # a new entry has no recording yet
    from afterglow.media.voice import privacy

    # Entry.save sends this before it notes the mark as stored: `_private_stored` is still the one read.
    privacy.follow_entry(instance, instance._private_stored)


def seal_new_recording(sender: Any, instance: Any, raw: bool, **kwargs: Any) -> None:
    if raw:
        return  # rows written back as they were stored (the Trash): sealed already if they were
    from afterglow.media.voice import privacy

    privacy.before_save(instance)


def attach_thumbnails_lazily(items: Any) -> None:
    # Imported when a list of entries is first shown, not at start: it brings Pillow
    # (~15 ms and ~5 MB), which a CLI verb that shows no pictures never needs.
    from afterglow.media.visual.pictures import attach_thumbnails

    attach_thumbnails(items)


def _entry_saved(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    from afterglow.journal import private

    # `_private_stored` is the mark as it was read (private.after_entry_saved updates it after this).
    was, fields = getattr(instance, "_private_stored", None), kwargs.get("update_fields")
    if raw or created or was is None or was == instance.private or not private.applies():
        return
    if fields is not None and "private" not in fields:
        return
    from afterglow.media.visual.pictures import follow_entry

    follow_entry(instance)
