from django.urls import path

from afterglow.clinic import views

urlpatterns = [
    path("login", views.sign_in, name="clinic_sign_in"),
    path("login/verify", views.verify, name="clinic_verify"),
    path("logout", views.sign_out, name="clinic_sign_out"),
    path("invite/<str:token>", views.accept_invite, name="clinic_invite"),
    path("account/authenticator", views.authenticator, name="clinic_authenticator"),
    path("clinic/", views.home, name="clinic_home"),
    path("clinic/invites", views.new_invite, name="clinic_new_invite"),
]
