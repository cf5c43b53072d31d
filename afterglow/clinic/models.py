"""Who is who in a clinic: each account's role, and the invites that let people set their password."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin", "Clinic admin"
    CLINICIAN = "clinician", "Clinician"
    PATIENT = "patient", "Patient"


class Member(models.Model):
    """An account's role in the clinic. Only patients have a journal; admins and clinicians read none in part 1."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    role = models.CharField(max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invite(models.Model):
    """A single-use link that lets one person set their password. Only the token's hash is stored."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invites")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, member: Member, by: object | None = None) -> tuple[Invite, str]:
        """A new invite for `member` (earlier unused ones stop working); returns it and its token."""
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        cls.objects.filter(member=member, used_at__isnull=True).update(used_at=now)
        invite = cls.objects.create(
            member=member,
            token_hash=_digest(token),
            created_by=by if by is not None and getattr(by, "pk", None) else None,
            expires_at=now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        )
        return invite, token

    @classmethod
    def find(cls, token: str) -> Invite | None:
        """The usable invite for this token, or None (unknown, used or expired: all look the same)."""
        if not token or len(token) > 100:
            return None
        invite = cls.objects.select_related("member__user").filter(token_hash=_digest(token)).first()
        if invite is None or invite.used_at is not None or invite.expires_at <= timezone.now():
            return None
        return invite


class SignInFailure(models.Model):
    """One failed sign-in, counted against the account name tried and the address it came from."""

    class Scope(models.TextChoices):
        ACCOUNT = "account"
        ADDRESS = "address"

    scope = models.CharField(max_length=8, choices=Scope.choices)
    key = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]
