from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.vault"
    label = "vault"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The mode object sits below the vault, so the vault tells it how to ask "is the journal unlocked?".
        from afterglow import modes
        from afterglow.vault import session

        modes.use_vault(session)
