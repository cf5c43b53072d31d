from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "afterglow.reports"
    label = "reports"
    verbose_name = "Exports and imports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from afterglow.journal.models import Entry
        from afterglow.reports.models import forget_source_tags

        post_save.connect(forget_source_tags, sender=Entry, dispatch_uid="reports.forget_source_tags")
