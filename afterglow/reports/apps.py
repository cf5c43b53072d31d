from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "afterglow.reports"
    label = "reports"
    verbose_name = "Exports and imports"
    default_auto_field = "django.db.models.BigAutoField"
