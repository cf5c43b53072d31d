from django.urls import path

from afterglow.tags import views

urlpatterns = [
    path("tags", views.tag_list, name="tags"),
    path("entries/<int:entry_id>/tags", views.entry_tags, name="entry_tags"),
    path("sessions/<int:session_id>/capture/tags", views.capture_tags, name="capture_tags"),
]
