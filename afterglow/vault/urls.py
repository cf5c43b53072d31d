from django.urls import path

from afterglow.vault import views

urlpatterns = [
    path("setup", views.setup, name="vault_setup"),
    path("setup/kept", views.recovery_key, name="vault_setup_kept"),  # the form's address before the gate existed
    path("recovery-key", views.recovery_key, name="recovery_key"),
    path("recovery-key/new", views.recovery_key_new, name="recovery_key_new"),
    path("unlock", views.unlock, name="unlock"),
    path("recover", views.recover, name="recover"),
    path("start/<str:secret>", views.start, name="vault_start"),
    path("lock", views.lock, name="lock"),
    path("lock/status", views.lock_status, name="lock_status"),
    path("privacy", views.privacy, name="privacy"),
    path("privacy/backup", views.backup_now, name="backup_now"),
    path("privacy/passphrase", views.change_passphrase, name="change_passphrase"),
    path("privacy/recovery-key", views.replace_recovery_key, name="replace_recovery_key"),
    path("privacy/rekey", views.rekey_view, name="rekey"),
]
