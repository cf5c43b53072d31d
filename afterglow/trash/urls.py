from django.urls import path

from afterglow.trash import corrections, versions, views

urlpatterns = [
    path("trash", views.trash, name="trash"),
    path("trash/empty", views.empty, name="trash_empty"),
    path("trash/<int:item_id>/restore", views.restore, name="trash_restore"),
    path("delete/<str:kind>/<int:pk>", views.delete, name="trash_delete"),
    path("sessions/<int:pk>/move", corrections.session_move, name="session_move"),
    path("courses/<int:pk>/merge", corrections.course_merge, name="course_merge"),
    path("entries/<int:entry_id>/versions", versions.versions, name="entry_versions"),
    path("entries/<int:entry_id>/versions/<int:version_id>/restore", versions.restore_version, name="entry_version_restore"),
]
