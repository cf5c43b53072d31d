from django.urls import path

from afterglow.moments import views

urlpatterns = [
    path("moments", views.key_moments, name="key_moments"),
    path("moments/preference", views.preference, name="moments_preference"),
    path("star/entry/<int:entry_id>", views.star_entry, name="star_entry"),
    path("star/capture/<int:capture_id>/<str:answer>", views.star_answer, name="star_answer"),
]
