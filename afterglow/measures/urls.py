from django.urls import path

from afterglow.measures import views

urlpatterns = [
    path("measures", views.overview, name="measures"),
    path("measures/r/<int:response_id>", views.result, name="measure_result"),
    path("measures/<slug:instrument_id>/take", views.take, name="measure_take"),
    path("measures/<slug:instrument_id>/answer", views.answer, name="measure_answer"),
    path("measures/<slug:instrument_id>/chart.svg", views.chart, name="measure_chart"),
]
