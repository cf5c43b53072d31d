"""Clinic mode's sign-in backend: Django's own, with what every page asks of its person read in one query.

Each page of a signed-in person asked the database for the account, then its role, its preferences, its
private-entry key and whether it has an authenticator: five round trips before the page's own. Reading
the account joins the first four and adds the last as a flag, so a page begins with one. They are what
the request began with: the middleware reads them before any view runs, and a preference saved during
the request replaces the one read here (preferences/store.py); other readers still ask the database.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

PATH = "afterglow.clinic.backend.ClinicBackend"
# Read with the account (reverse one-to-one rows: the role, the preferences, the private-entry key).
WITH_ACCOUNT = ("member", "preferences", "private_keyring")
HAS_AUTHENTICATOR = "has_confirmed_authenticator"


class ClinicBackend(ModelBackend):
    """Listed after ModelBackend, which checks passwords (once: this one checks none); sign-in names this one
    for the session, and sessions begun before it existed keep ModelBackend's plain read."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> Any:
        users = (
            get_user_model()
            ._default_manager.select_related(*WITH_ACCOUNT)
            .annotate(**{HAS_AUTHENTICATOR: Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))})
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def read_with_account(user: Any, name: str) -> tuple[bool, Any]:
    """(True, the row or None) when `name` was read with the account for this request; (False, None) when not."""
    try:
        relation = user._meta.get_field(name)
    except FieldDoesNotExist:
        return False, None
    if not relation.is_cached(user):
        return False, None
    return True, relation.get_cached_value(user)
