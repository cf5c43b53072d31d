"""The clinic's cast: two patients, a clinician and an admin, each signed in through the real pages."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from afterglow.clinic import accounts
from afterglow.clinic.models import Invite, Role
from afterglow.journal import keyring as rings
from afterglow.journal.models import PrivateKeyring

PASSWORD = "a quiet harbour at dawn 7"
recovery: dict[int, str] = {}  # each patient's recovery key, by user id
HTTPS = {"X-Forwarded-Proto": "https", "Origin": "https://testserver"}


def browser() -> Client:
    """A browser behind the clinic's TLS proxy: HTTPS, and CSRF checked as a real one meets it."""
    return Client(enforce_csrf_checks=True, headers=HTTPS)


def post(client: Client, url: str, data: dict[str, Any] | None = None, **extra: Any):
    from django.middleware.csrf import _get_new_csrf_string

    if "csrftoken" not in client.cookies:
        client.cookies["csrftoken"] = _get_new_csrf_string()
    return client.post(url, {**(data or {}), "csrfmiddlewaretoken": client.cookies["csrftoken"].value}, **extra)


def invited(username: str, role: str) -> tuple[Any, str]:
    member, token = accounts.invite(username, role)
    return member.user, token


def member(username: str, role: str) -> Any:
    """An account whose invite was used to set PASSWORD (and, for staff, a confirmed authenticator)."""
    user, token = invited(username, role)
    found = Invite.find(token)
    assert found is not None
    accounts.accept(found, PASSWORD)
    if role == Role.PATIENT:
        # As if they had signed in and kept their recovery key; `recovery` holds it for tests that need it.
        _, key = rings.create_keyring(user, PASSWORD)
        rings.confirm_recovery(PrivateKeyring.objects.get(owner=user))
        recovery[user.pk] = key
    if role != Role.PATIENT:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def code(user: Any) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def signed_in(user: Any) -> Client:
    client = browser()
    response = post(client, "/login", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        assert post(client, "/login/verify", {"token": code(user)}).status_code == 302
    return client
