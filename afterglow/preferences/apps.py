from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.preferences"
    label = "preferences"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from afterglow.preferences import idle

        idle.connect()
