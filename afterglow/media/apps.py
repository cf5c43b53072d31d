from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.media"
    label = "media"
    default_auto_field = "django.db.models.BigAutoField"
