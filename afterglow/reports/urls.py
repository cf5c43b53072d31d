from django.urls import path

from afterglow.reports import views

urlpatterns = [
    path("report", views.report_page, name="report"),
    path("export", views.export_page, name="export"),
    path("import", views.import_page, name="import"),
]
