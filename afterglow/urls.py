from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def healthz(request: HttpRequest) -> HttpResponse:
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
    path("", include("afterglow.preferences.urls")),
    path("", include("afterglow.phones.urls")),
]

handler400 = "afterglow.web.views.bad_request"
handler403 = "afterglow.web.views.forbidden"
handler404 = "afterglow.web.views.not_found"
handler500 = "afterglow.web.views.server_error"
