from django.urls import path

from afterglow.safety import views

urlpatterns = [path("help", views.help_page, name="help")]
