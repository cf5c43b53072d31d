from django.apps import AppConfig


class PhonesConfig(AppConfig):
    name = "afterglow.phones"
    label = "phones"
    default_auto_field = "django.db.models.BigAutoField"
