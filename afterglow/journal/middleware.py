from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from afterglow import modes
from afterglow.access import PatientRequest
from afterglow.web.middleware import Handler


def patient_middleware(get_response: Handler) -> Handler:
    """`request.patient`: whose journal this request reads, resolved only when used."""

    def middleware(request: HttpRequest) -> HttpResponse:
        # The one place the attribute is set: from here on the request is a PatientRequest.
        cast(PatientRequest, request).patient = cast(User, SimpleLazyObject(lambda: modes.current().patient(request)))
        return get_response(request)

    return middleware
