"""Sign-in throttling, per account and per address, shared by every web worker (kept in PostgreSQL).

Failures count within a window; past the limit, that account (or address) is refused without the
password being checked, so guessing gains nothing and says nothing about whether an account exists.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from afterglow.clinic.models import SignInFailure

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5
PER_ADDRESS = 30


def client_address(request: HttpRequest) -> str:
    """The client's address: the proxy's last X-Forwarded-For entry when the request comes through a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in settings.CLINIC_PROXY_IPS:
        last = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            return remote
    return remote


def _keys(username: str, address: str) -> list[tuple[str, str]]:
    return [(SignInFailure.Scope.ACCOUNT, username.strip().lower()[:150]), (SignInFailure.Scope.ADDRESS, address[:64])]


def refused_for(username: str, address: str) -> str:
    """'' when a try is allowed now; otherwise which limit is reached ('account' or 'address')."""
    since = timezone.now() - WINDOW
    for scope, key in _keys(username, address):
        limit = PER_ACCOUNT if scope == SignInFailure.Scope.ACCOUNT else PER_ADDRESS
        if SignInFailure.objects.filter(scope=scope, key=key, at__gte=since).count() >= limit:
            return str(scope)
    return ""


def failed(username: str, address: str) -> None:
    SignInFailure.objects.bulk_create([SignInFailure(scope=s, key=k) for s, k in _keys(username, address)])
    SignInFailure.objects.filter(at__lt=timezone.now() - WINDOW).delete()


def succeeded(username: str) -> None:
    SignInFailure.objects.filter(scope=SignInFailure.Scope.ACCOUNT, key=username.strip().lower()[:150]).delete()
