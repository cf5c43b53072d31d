from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class Config(AppConfig):
    name = "afterglow.journal"
    label = "journal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_repair_search_index, sender=self)


def _repair_search_index(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    # A later migration that rebuilds journal_entry or media_picture (SQLite copies,
    # drops and renames the table) drops the search triggers with the old table.
    # This runs after every migrate, whichever app's migrations it applied.
    from django.db import connections

    from afterglow.journal.search import all_indexes

    for index in all_indexes():
        index.ensure(connections[using], repair_only=True)
