from django.urls import path

from afterglow.clinic import private_views, views

urlpatterns = [
    path("login", views.sign_in, name="clinic_sign_in"),
    path("login/verify", views.verify, name="clinic_verify"),
    path("logout", views.sign_out, name="clinic_sign_out"),
    path("invite/<str:token>", views.accept_invite, name="clinic_invite"),
    path("account/authenticator", views.authenticator, name="clinic_authenticator"),
    path("account/password", private_views.change_password, name="clinic_change_password"),
    path("account/private/recovery-key", private_views.recovery_key, name="clinic_recovery_key"),
    path("account/private/recovery-key/new", private_views.recovery_key_new, name="clinic_recovery_key_new"),
    path("account/private/locked", private_views.private_locked, name="clinic_private_locked"),
    path("clinic/", views.home, name="clinic_home"),
    path("clinic/invites", views.new_invite, name="clinic_new_invite"),
]
