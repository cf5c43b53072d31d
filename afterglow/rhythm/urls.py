from django.urls import path

from afterglow.rhythm import views

urlpatterns = [
    path("reminders.ics", views.calendar_file, name="reminders_ics"),
    path("reminders/today.json", views.today_json, name="reminders_today"),
]
