from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "afterglow.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The clinic's demo sits below the care team, so the care team adds its consents to it.
        from afterglow.care import demo as care_demo
        from afterglow.clinic import demo

        demo.additions.append(care_demo.share)
