from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.measures"
    label = "measures"
    default_auto_field = "django.db.models.BigAutoField"
