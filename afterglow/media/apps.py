from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class Config(AppConfig):
    name = "afterglow.media"
    label = "media"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_repair_caption_index, sender=self)


def _repair_caption_index(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    # As for the entries' index (journal/apps.py): a migration that rebuilds media_picture drops its triggers.
    from django.db import connections

    from afterglow.journal.search import CAPTIONS

    CAPTIONS.ensure(connections[using], repair_only=True)
