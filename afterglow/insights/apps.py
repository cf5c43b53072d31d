from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.insights"
    label = "insights"
    default_auto_field = "django.db.models.BigAutoField"
