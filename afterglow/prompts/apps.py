from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.prompts"
    label = "prompts"
    default_auto_field = "django.db.models.BigAutoField"
