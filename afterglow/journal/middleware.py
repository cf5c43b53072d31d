from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from afterglow.journal.access import current_patient
from afterglow.web.middleware import Handler


def patient_middleware(get_response: Handler) -> Handler:
    """`request.patient`: whose journal this request reads, resolved only when used."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.patient = SimpleLazyObject(lambda: current_patient(request))  # type: ignore[attr-defined]
        return get_response(request)

    return middleware
