from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.trash"
    label = "trash"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from afterglow.trash.bin import purge_old
        from afterglow.vault import background

        background.daily("trash purge", purge_old)
