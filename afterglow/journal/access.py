"""Whose journal a request or a CLI command works on (the mode answers; see afterglow/modes.py)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest

from afterglow import modes
from afterglow.modes import LOCAL_USERNAME, local_patient

__all__ = ["LOCAL_USERNAME", "current_patient", "local_patient"]


def current_patient(request: HttpRequest) -> User:
    return modes.current().patient(request)
