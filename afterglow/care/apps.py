from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "afterglow.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"
