"""Whose journal a request or a CLI command works on."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

LOCAL_USERNAME = "me"


def local_patient() -> AbstractBaseUser:
    """Local mode has exactly one patient, created on first use (or at `init`)."""
    user, _ = get_user_model().objects.get_or_create(username=LOCAL_USERNAME)
    return user


def current_patient(request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
    if settings.CLINIC:
        return request.user
    return local_patient()
