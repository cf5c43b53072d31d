from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.safety"
    label = "safety"
    default_auto_field = "django.db.models.BigAutoField"
