from django.urls import path

from afterglow.preferences import views

urlpatterns = [
    path("settings", views.settings_page, name="settings"),
    path("settings/display", views.save_display, name="settings_display"),
    path("settings/auto-lock", views.save_idle, name="settings_idle"),
    path("settings/reminders", views.save_reminders, name="reminders_save"),
]
