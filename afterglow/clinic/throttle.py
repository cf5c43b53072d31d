"""Sign-in throttling, per account and per address, shared by every web worker (kept in PostgreSQL).

Per account the limit is a wall: after a few failures in the window that account is refused
without the password being checked, from any address, so guessing gains nothing and says nothing
about whether an account exists.

Per address it is a slow-down, not a wall: a clinic's Wi-Fi puts every patient in the waiting
room behind one address, and one person guessing (or thirty typing their password wrong) must not
shut the others out for a quarter of an hour. Past SLOW_AFTER failures in the window, the address
gets one try per wait, a wait that doubles with each further failure up to LONGEST_WAIT. A try
refused for the wait checks no password and counts for nothing, so it does not lengthen the wait
for the person beside the guesser: they wait a minute at most, then sign in. A guesser keeps about
as few passwords checked as the old wall of 30 allowed (some 35 each quarter of an hour, as old
failures leave the window), and must still get past each account's wall.

A browser that has signed in to an account before carries a signed cookie marking it (the
"known browser" of OWASP's advice), and its tries at that account skip the address's wait: a
patient back on the clinic's Wi-Fi signs in at once even while someone beside them is guessing.
Only the account's wall applies to it; the cookie cannot be made without the server's secret key,
and it names one account, so it gives a guesser nothing for any other.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from afterglow.clinic.models import SignInFailure

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5
SLOW_AFTER = 30
WAIT_STEP = timedelta(seconds=1)
LONGEST_WAIT = timedelta(seconds=60)

ACCOUNT, ADDRESS = SignInFailure.Scope.ACCOUNT, SignInFailure.Scope.ADDRESS
KNOWN_COOKIE = "afterglow_known"
KNOWN_SALT = "afterglow.clinic.known-browser"
KNOWN_FOR = timedelta(days=90)


@dataclass(frozen=True)
class Refusal:
    scope: str  # 'account' (the wall) or 'address' (the slow-down)
    seconds: int  # how long to wait before the next try is looked at


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


def _account(username: str) -> str:
    return username.strip().lower()[:150]


def _address(address: str) -> str:
    return address[:64]


def address_wait(failures: int) -> timedelta:
    """How long after its latest failure an address waits for its next try (nothing below SLOW_AFTER)."""
    if failures < SLOW_AFTER:
        return timedelta(0)
    # Doubling: within a few failures past the mark a guesser is down to about one check a minute.
    return min(LONGEST_WAIT, WAIT_STEP * 2 ** min(failures - SLOW_AFTER, 10))


def _mark(username: str) -> str:
    # Not the name itself: someone who opens the browser's cookies learns no username from it.
    return salted_hmac(KNOWN_SALT, _account(username), algorithm="sha256").hexdigest()[:32]


def known_browser(request: HttpRequest, username: str) -> bool:
    """Whether this browser signed in to this account before (within KNOWN_FOR)."""
    mark = request.get_signed_cookie(KNOWN_COOKIE, default="", salt=KNOWN_SALT, max_age=KNOWN_FOR) or ""
    return bool(mark) and constant_time_compare(mark, _mark(username))


def remember_browser(response: HttpResponse, username: str) -> None:
    response.set_signed_cookie(
        KNOWN_COOKIE,
        _mark(username),
        salt=KNOWN_SALT,
        max_age=int(KNOWN_FOR.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


@dataclass(frozen=True)
class Counted:
    """What the failures table holds for one try, inside the window: all that the verdict needs."""

    account: int  # failures at this account
    address: int  # failures from this address
    latest: datetime | None  # the address's newest failure


def counted(username: str, address: str, now: datetime) -> Counted:
    account, place = Q(scope=ACCOUNT, key=_account(username)), Q(scope=ADDRESS, key=_address(address))
    found = SignInFailure.objects.filter(account | place, at__gte=now - WINDOW).aggregate(
        account=Count("id", filter=account),
        address=Count("id", filter=place),
        latest=Max("at", filter=place),
    )
    return Counted(found["account"], found["address"], found["latest"])


def verdict(seen: Counted, now: datetime, *, known: bool = False) -> Refusal | None:
    """The rule itself, without the database: None when the try may check its password."""
    if seen.account >= PER_ACCOUNT:
        return Refusal(str(ACCOUNT), int(WINDOW.total_seconds()))
    if seen.latest is not None and not known:
        left = seen.latest + address_wait(seen.address) - now
        if left > timedelta(0):
            return Refusal(str(ADDRESS), math.ceil(left.total_seconds()))
    return None


def refused_for(username: str, address: str, now: datetime | None = None, *, known: bool = False) -> Refusal | None:
    """None when a try may check its password now; otherwise which limit holds it back, and for how long.
    `known`: this browser signed in to this account before, so the address's wait does not apply."""
    now = now or timezone.now()
    return verdict(counted(username, address, now), now, known=known)


def failed(username: str, address: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    keys = [(ACCOUNT, _account(username)), (ADDRESS, _address(address))]
    SignInFailure.objects.bulk_create([SignInFailure(scope=scope, key=key, at=now) for scope, key in keys])
    SignInFailure.objects.filter(at__lt=now - WINDOW).delete()


def succeeded(username: str) -> None:
    SignInFailure.objects.filter(scope=ACCOUNT, key=_account(username)).delete()
