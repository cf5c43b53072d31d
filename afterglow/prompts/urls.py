from django.urls import path

from afterglow.prompts import views

urlpatterns = [
    path("prompts", views.prompts, name="prompts"),
    path("prompts/<int:prompt_id>/delete", views.delete, name="prompt_delete"),
]
