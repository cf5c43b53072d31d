from django.apps import AppConfig

from afterglow import modes


class Config(AppConfig):
    name = "afterglow.trash"
    label = "trash"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from afterglow.trash.bin import purge_old
        from afterglow.vault import background

        background.daily("trash purge", purge_old)
        if not modes.current().unlocks_in_process:  # a clinic: no serve purges daily; its workers do, when due
            from afterglow.trash import bin, tasks

            bin.after_put.append(tasks.queue_purge)
