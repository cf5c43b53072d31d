"""A signed-in patient's key for private entries: held in two halves, neither readable alone.

The key is unwrapped from the patient's password at sign-in (`journal/private.py`). It must
open their private entries on later requests, served by any of several gunicorn workers, yet
never be written to the database in the clear. So the session row (in PostgreSQL, shared by
the workers) holds it sealed with AES-256-GCM under a random 32-byte key that only the patient's
browser holds, in its own cookie: HttpOnly (no script reads it), Secure, SameSite=Strict, and
gone when the browser closes. A copy of the database (a `pg_dump`, a backup, the session table)
has the sealed half only; the browser has the other half, which opens nothing by itself. Each
request puts the two together in memory for that request alone (`private.opening`).

Signing out flushes the session and drops the cookie; an idle session expires with the sealed
half in it, so the key is forgotten either way. A recovery key waiting to be shown (never stored
in the clear either) is kept the same way until the patient confirms they kept it.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse

from afterglow import modes
from afterglow.clinic import backend
from afterglow.clinic.middleware import OPEN_PREFIXES
from afterglow.clinic.models import Role
from afterglow.clinic.roles import needs_second_factor_now, role_of
from afterglow.journal import keyring as rings
from afterglow.journal import private
from afterglow.journal.models import Entry, PrivateKeyring
from afterglow.vault import crypto
from afterglow.web.middleware import Handler

COOKIE = "afterglow_private"
_KEY = "private_key"  # session fields: sealed with the cookie's key
_RECOVERY = "private_recovery"
_NEW_COOKIE = "_afterglow_private_cookie"  # on the request: a cookie key made during it, set on the way out


def _cookie_key(request: HttpRequest) -> bytes | None:
    made = request.__dict__.get(_NEW_COOKIE)
    if made is not None:
        return bytes(made)
    try:
        raw = base64.urlsafe_b64decode(request.COOKIES.get(COOKIE, ""))
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def _purpose(request: HttpRequest, what: str) -> bytes:
    return f"afterglow {what} of {request.user.pk}".encode()


def _put(request: HttpRequest, field: str, value: bytes) -> None:
    key = _cookie_key(request)
    if key is None:
        key = os.urandom(32)
        request.__dict__[_NEW_COOKIE] = key
    request.session[field] = base64.b64encode(crypto.seal(key, value, _purpose(request, field))).decode()


def _get(request: HttpRequest, field: str) -> bytes | None:
    key, stored = _cookie_key(request), request.session.get(field)
    if key is None or not stored:
        return None
    return crypto.open_sealed(key, base64.b64decode(stored), _purpose(request, field))


def keep(request: HttpRequest, secret: bytes) -> None:
    _put(request, _KEY, secret)


def secret_of(request: HttpRequest) -> bytes | None:
    return _get(request, _KEY)


def keep_recovery(request: HttpRequest, recovery: str) -> None:
    _put(request, _RECOVERY, recovery.encode())


def pending_recovery(request: HttpRequest) -> str | None:
    raw = _get(request, _RECOVERY)
    return raw.decode() if raw else None


def drop_recovery(request: HttpRequest) -> None:
    request.session.pop(_RECOVERY, None)


def keyring_of(user: Any) -> PrivateKeyring | None:
    return PrivateKeyring.objects.filter(owner=user).first()


def signed_in(request: HttpRequest, user: Any, password: str) -> None:
    """After a patient's password was checked: open their private entries' key for this session.

    The first sign-in makes the key (and a recovery key to show); after an admin's reset the old
    key waits for the recovery key, unless there is nothing sealed to lose.
    """
    if role_of(user) != Role.PATIENT:
        return
    keyring = keyring_of(user)
    if keyring is not None and keyring.by_password:
        secret = rings.unlock_with_password(keyring, password)
        if secret is not None:
            keep(request, secret)
            with private.opening(user.pk, secret):
                _pictures().seal_leftovers(user)  # a private entry's pictures from before they were sealed
            return
        # The password was set some other way (`manage.py changepassword`): as after an admin's
        # reset, only the recovery key opens the entries now, and the gate says so.
        rings.forget_password(user)
        keyring.by_password = {}
    if keyring is not None and (_pictures().any_sealed(user) or Entry.objects.filter(owner=user).exclude(sealed="").exists()):
        return  # the gate sends them to the recovery key page
    start_over(request, user, password)


def start_over(request: HttpRequest, user: Any, password: str) -> None:
    """A new key (and recovery key, to show); private entries sealed to an old one stay locked."""
    secret, recovery = rings.create_keyring(user, password)
    keep(request, secret)
    keep_recovery(request, recovery)
    with private.opening(user.pk, secret):
        rings.seal_leftovers(user)
        _pictures().seal_leftovers(user)


def _pictures() -> Any:
    # Imported on first sign-in, not at start: it brings Pillow, which most requests never need.
    from afterglow.media.visual import pictures

    return pictures


# ---- the gate ----------------------------------------------------------------------------------

# Pages a patient reaches whatever their key's state: the sign-in gate's open pages, the way out, and the
# key's own pages.
_ALWAYS = (*OPEN_PREFIXES, "/logout", "/account/private")


def private_key_middleware(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        if not modes.current().clinic:
            return get_response(request)
        user = request.user
        if not user.is_authenticated or role_of(user) != Role.PATIENT:
            return _finish(request, get_response(request))
        secret = secret_of(request)
        where = None if request.path.startswith(_ALWAYS) else _gate(request, _keyring_at_start(user), secret)
        # Before the second factor, the sign-in gate (inside this one) answers instead.
        if where is not None and not needs_second_factor_now(user):
            if where.startswith(reverse("clinic_sign_in")):
                logout(request)
            return _finish(request, _go(request, where))
        if secret is None:
            return _finish(request, get_response(request))
        with private.opening(user.pk, secret):
            response = get_response(request)
        if isinstance(response, StreamingHttpResponse):  # an export: its rows are read as it is sent, after this
            response.streaming_content = _opened(user.pk, secret, response.streaming_content)
        return _finish(request, response)

    return middleware


def _keyring_at_start(user: Any) -> PrivateKeyring | None:
    read, keyring = backend.read_with_account(user, "private_keyring")  # with the account, before any view changed it
    return keyring if read else keyring_of(user)


def _opened(owner_id: int, secret: bytes, chunks: Iterable[Any]) -> Iterator[Any]:
    parts = iter(chunks)
    while True:
        with private.opening(owner_id, secret):
            chunk = next(parts, None)
        if chunk is None:
            return
        yield chunk


def _gate(request: HttpRequest, keyring: PrivateKeyring | None, secret: bytes | None) -> str | None:
    """Where a patient must go before their journal opens (None: nowhere)."""
    if keyring is not None and not keyring.by_password:
        return reverse("clinic_private_locked")
    if keyring is None or secret is None:
        # A session from before private entries were sealed, or one that lost its half (or its
        # cookie): signing in again makes the key, or brings it back (and seals what was left).
        return f"{reverse('clinic_sign_in')}?{urlencode({'next': request.get_full_path()})}"
    if keyring.recovery_confirmed_at is None:
        return reverse("clinic_recovery_key")
    return None


def _go(request: HttpRequest, where: str) -> HttpResponse:
    if request.method == "GET":
        return HttpResponseRedirect(where)
    # A background save or a form: refuse it whole, so the browser keeps what was typed.
    response = HttpResponse("Please open your journal again; what you typed is still on the page.", status=401)
    response["HX-Redirect"] = where
    return response


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    made = request.__dict__.get(_NEW_COOKIE)
    if made is not None and request.user.is_authenticated:
        value = base64.urlsafe_b64encode(bytes(made)).decode()
        response.set_cookie(COOKIE, value, secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Strict")
    elif COOKIE in request.COOKIES and not request.user.is_authenticated:
        response.delete_cookie(COOKIE, samesite="Strict")
    return response
