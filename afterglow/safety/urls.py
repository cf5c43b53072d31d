from django.urls import path

from afterglow.safety import views

urlpatterns = [
    path("help", views.help_page, name="help"),
    path("help/grounding", views.grounding, name="grounding"),
    path("settings/safety", views.safety_settings, name="safety_settings"),
    path("safety-plan", views.safety_plan, name="safety_plan"),
    path("safety-plan/print", views.safety_plan_print, name="safety_plan_print"),
]
