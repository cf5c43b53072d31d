from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.moments"
    label = "moments"
    default_auto_field = "django.db.models.BigAutoField"
