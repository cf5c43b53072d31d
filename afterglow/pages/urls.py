from django.urls import path

from afterglow.pages import corrections
from afterglow.pages.views import home, search, settings, timeline

urlpatterns = [
    path("", home.home, name="home"),
    path("timeline", timeline.timeline, name="timeline"),
    path("search", search.search_page, name="search"),
    path("sessions/<int:pk>/move", corrections.session_move, name="session_move"),
    path("courses/<int:pk>/merge", corrections.course_merge, name="course_merge"),
    path("settings", settings.settings_page, name="settings"),
    path("settings/display", settings.save_display, name="settings_display"),
    path("settings/auto-lock", settings.save_idle, name="settings_idle"),
    path("settings/reminders", settings.save_reminders, name="reminders_save"),
]
