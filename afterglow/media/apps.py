from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.media"
    label = "media"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from afterglow.journal import timeline
        from afterglow.media.pictures import attach_thumbnails

        timeline.find_pictures_with(attach_thumbnails)
