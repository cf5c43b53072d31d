from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.tags"
    label = "tags"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from afterglow.tags import store

        store.connect_signals()
