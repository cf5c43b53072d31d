from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from afterglow import modes
from afterglow.access import PatientRequest
from afterglow.web import unchanged
from afterglow.web.middleware import Handler


def patient_middleware(get_response: Handler) -> Handler:
    """`request.patient`: whose journal this request reads, resolved only when used."""

    def middleware(request: HttpRequest) -> HttpResponse:
        # The one place the attribute is set: from here on the request is a PatientRequest.
        cast(PatientRequest, request).patient = cast(User, SimpleLazyObject(lambda: _patient(request)))
        return get_response(request)

    return middleware


def _patient(request: HttpRequest) -> User:
    mode = modes.current()
    if mode is modes.LOCAL_MODE:
        # Local mode's one patient, whoever asks: its row is read again only when the journal changes
        # (every page needs it, and get_or_create is a good part of a page's ORM work).
        return unchanged.kept(("journal.local_patient",), lambda: mode.patient(request))
    return mode.patient(request)
