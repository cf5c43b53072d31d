from django.urls import path

from afterglow.phones import outbox, views

urlpatterns = [
    path("settings/phones", views.phones_settings, name="phones_settings"),
    path("settings/phones/code", views.new_code, name="phones_new_code"),
    path("settings/phones/code/end", views.end_code, name="phones_end_code"),
    path("settings/phones/<str:device_id>/revoke", views.revoke, name="phones_revoke"),
    path(f"settings/phones/{views.ROOT_NAME}", views.root_certificate, name="phones_root"),
    path("pair", views.pair, name="pair"),
    path(f"pair/{views.ROOT_NAME}", views.root_certificate, name="pair_root"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline", views.offline, name="offline"),
    path("outbox/ready", outbox.ready, name="outbox_ready"),
    path("outbox", outbox.arrive, name="outbox_arrive"),
]
