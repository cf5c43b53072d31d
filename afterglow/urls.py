from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from afterglow import modes


def healthz(request: HttpRequest) -> HttpResponse:
    # Local mode answers without opening the journal (it may be locked). A clinic's proxy or
    # orchestrator asks whether this worker can reach PostgreSQL, to route around it when not.
    if modes.current().clinic:
        from afterglow.clinic.health import database_problem

        problem = database_problem()
        if problem:
            return HttpResponse(f"database unavailable: {problem}", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("afterglow.safety.urls")),
    path("", include("afterglow.vault.urls")),
    path("", include("afterglow.prompts.urls")),
    path("", include("afterglow.pages.urls")),
    path("", include("afterglow.journal.urls")),
    path("", include("afterglow.media.urls")),
    path("", include("afterglow.measures.urls")),
    path("", include("afterglow.insights.urls")),
    path("", include("afterglow.reports.urls")),
    path("", include("afterglow.trash.urls")),
    path("", include("afterglow.moments.urls")),
    path("", include("afterglow.tags.urls")),
    path("", include("afterglow.rhythm.urls")),
    path("", include("afterglow.phones.urls")),
]

# Clinic mode's accounts. (The vault's and phones' pages stay routed, so templates can name them,
# but the clinic middleware answers them with a 404: a clinic has no passphrase, lock, local
# backups or LAN pairing.)
if modes.current().clinic:
    urlpatterns.insert(1, path("", include("afterglow.clinic.urls")))
    urlpatterns.insert(2, path("", include("afterglow.care.urls")))

handler400 = "afterglow.web.views.bad_request"
handler403 = "afterglow.web.views.forbidden"
handler404 = "afterglow.web.views.not_found"
handler500 = "afterglow.web.views.server_error"
