from django.urls import path

from afterglow.trash import versions, views

urlpatterns = [
    path("trash", views.trash, name="trash"),
    path("trash/empty", views.empty, name="trash_empty"),
    path("trash/<int:item_id>/restore", views.restore, name="trash_restore"),
    path("delete/<str:kind>/<int:pk>", views.delete, name="trash_delete"),
    # A check-in has its own confirm page (with several a day, one made by mistake can go).
    path("checkin/<int:pk>/delete", views.checkin_delete, name="checkin_delete"),
    path("entries/<int:entry_id>/versions", versions.versions, name="entry_versions"),
    path("entries/<int:entry_id>/versions/<int:version_id>/restore", versions.restore_version, name="entry_version_restore"),
]
