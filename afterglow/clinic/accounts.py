"""Clinic accounts: who is invited, with which role, and what an invite does when it is used."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from afterglow.clinic.models import Invite, Member, Role
from afterglow.journal import keyring as rings
from afterglow.lib.errors import UserError


class AccountProblem(UserError, ValueError):
    """An invite that cannot be made as asked; the message says why."""


@transaction.atomic
def invite(username: str, role: str, by: Any | None = None) -> tuple[Member, str]:
    """A new account with `role` (or a fresh invite for an existing one, which resets its password); returns the token."""
    User = get_user_model()
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        user = User.objects.create_user(username=username)  # no usable password until the invite is used
        Member.objects.create(user=user, role=role)
    member = Member.objects.filter(user=user).first()
    if member is None:
        raise AccountProblem(f"{username} is not an account of this clinic.")
    if member.invites.exists() or user.has_usable_password():
        if member.role != role:
            raise AccountProblem(f"{username} is already a {member.get_role_display().lower()}; roles do not change.")
        # A reset: the old password stops working (and every session with it), and a lost phone's
        # authenticator with it; the person sets both again.
        user.set_unusable_password()
        user.save(update_fields=["password"])
        rings.forget_password(user)  # only the recovery key opens their private entries now
        TOTPDevice.objects.filter(user=user).delete()
    _, token = Invite.issue(member, by)
    return member, token


@transaction.atomic
def accept(invite: Invite, password: str) -> Any:
    """Set the invited person's password and use the invite up; returns the user."""
    locked = Invite.objects.select_for_update().get(pk=invite.pk)
    if locked.used_at is not None or locked.expires_at <= timezone.now():
        raise AccountProblem("This invite has already been used or has expired; ask the clinic for a new one.")
    user = invite.member.user
    user.set_password(password)
    user.save(update_fields=["password"])
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    return user


def create_admin(username: str) -> tuple[Member, str]:
    if Member.objects.filter(role=Role.ADMIN, user__username__iexact=username).exists():
        return invite(username, Role.ADMIN)
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise AccountProblem(f"{username} already has an account with another role; choose another username.")
    return invite(username, Role.ADMIN)
