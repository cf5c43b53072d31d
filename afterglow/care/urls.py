from django.urls import path

from afterglow.care import views

urlpatterns = [
    path("clinic/sharing", views.sharing_overview, name="care_sharing"),
    path("clinic/sharing/trail", views.trail, name="care_trail"),
    path("clinic/sharing/<int:clinician_id>", views.sharing_with, name="care_sharing_with"),
    path("clinic/patients", views.patients, name="care_patients"),
    path("clinic/patients/<int:patient_id>", views.patient, name="care_patient"),
    path("clinic/patients/<int:patient_id>/mood.svg", views.mood_chart, name="care_mood_chart"),
    path("clinic/patients/<int:patient_id>/measures/<str:instrument_id>.svg", views.measure_chart, name="care_measure_chart"),
    path("clinic/patients/<int:patient_id>/report.pdf", views.patient_report, name="care_patient_report"),
    path("clinic/patients/<int:patient_id>/<str:category>", views.patient_part, name="care_patient_part"),
    path("clinic/audit.csv", views.audit_export, name="care_audit_export"),
]
