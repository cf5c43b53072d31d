from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.trash"
    label = "trash"
    default_auto_field = "django.db.models.BigAutoField"
