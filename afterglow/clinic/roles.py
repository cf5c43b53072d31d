"""Which role an account has, and what it must do before it gets in."""

from __future__ import annotations

from typing import Any

from afterglow.clinic.backend import HAS_AUTHENTICATOR
from afterglow.clinic.models import Member, Role


def role_of(user: Any) -> str | None:
    """The account's clinic role, or None (anonymous, or an account with no role)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return str(user.member.role)
    except Member.DoesNotExist:
        return None


def must_use_second_factor(user: Any) -> bool:
    """Clinicians and admins always; a patient once they have added an authenticator."""
    role = role_of(user)
    if role in (Role.CLINICIAN, Role.ADMIN):
        return True
    return role == Role.PATIENT and has_authenticator(user)


def has_authenticator(user: Any) -> bool:
    """A confirmed authenticator: read with the account at the start of this request when it was (one query less)."""
    known = getattr(user, HAS_AUTHENTICATOR, None)
    if isinstance(known, bool):
        return known
    from django_otp import user_has_device

    return bool(user_has_device(user, confirmed=True))


def needs_second_factor_now(user: Any) -> bool:
    """Signed in with the password, but the second factor this account needs is not yet given in this session."""
    # OTPMiddleware gives every signed-in user `is_verified()`.
    return must_use_second_factor(user) and not user.is_verified()
