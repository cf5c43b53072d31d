from typing import Any

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "afterglow.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"

    def add_to_demo(self, people: dict[str, Any]) -> None:
        """The clinic's demo (below the care team, so it cannot import it) asks each app for its part: consents."""
        from afterglow.care import demo

        demo.share(people)
