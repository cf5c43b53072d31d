from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.rhythm"
    label = "rhythm"
    default_auto_field = "django.db.models.BigAutoField"
