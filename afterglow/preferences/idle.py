"""How many quiet minutes before the journal closes itself: the person's choice, within the clinic's limit.

Local mode: the vault locks after these minutes (AFTERGLOW_IDLE_MINUTES until a choice is made in
Settings). Clinic mode: AFTERGLOW_IDLE_MINUTES is the clinic's longest (the session's age); a
patient may choose a shorter time, never a longer one. The choice is noted in the session at
sign-in and when saved, so `idle_middleware` checks it without reading the database on every request.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse

from afterglow import modes
from afterglow.lib.errors import UserError
from afterglow.preferences.store import Store, for_patient

SECTION, KEY = "privacy", "idle_minutes"
CHOICES = (5, 10, 15, 30, 60, 120)
# In a clinic session: the patient's shorter limit (minutes), and when they were last seen (epoch seconds).
LIMIT, SEEN = "afterglow_idle_limit", "afterglow_idle_seen"


class IdleError(UserError, ValueError):
    """A number of minutes that is not one of the listed ones (400)."""


def clinic_longest() -> int | None:
    """The clinic's limit, which no patient can lengthen (None in local mode: the person decides)."""
    return max(settings.VAULT_IDLE_MINUTES, 1) if modes.current().clinic else None


def choices() -> tuple[int, ...]:
    longest = clinic_longest()
    return CHOICES if longest is None else (*(m for m in CHOICES if m < longest), longest)


def chosen(prefs: Store) -> int | None:
    """The choice made in Settings, if it is still one of the listed ones."""
    value = prefs.get(SECTION, KEY)
    return value if value in choices() and not isinstance(value, bool) else None


def minutes(prefs: Store) -> int:
    found = chosen(prefs)
    if found is not None:
        return found
    longest = clinic_longest()
    return settings.VAULT_IDLE_MINUTES if longest is None else longest


def save(prefs: Store, minutes: int, request: HttpRequest | None = None) -> None:
    if minutes not in choices():
        raise IdleError("Please choose one of the listed times.")
    prefs.update(SECTION, {KEY: minutes})
    if request is not None and modes.current().clinic:
        _note(request, minutes)


def noted_again(request: HttpRequest, prefs: Store) -> None:
    """After the choice changed elsewhere than Settings (an import): this session follows it from now, not next sign-in."""
    if modes.current().clinic:
        _note(request, chosen(prefs))


def _note(request: HttpRequest, limit: int | None) -> None:
    longest = clinic_longest()
    if limit is not None and longest is not None and limit < longest:
        request.session[LIMIT] = limit
        request.session[SEEN] = int(time.time())
    else:
        request.session.pop(LIMIT, None)


def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session") and modes.current().clinic:
        _note(request, chosen(for_patient(user)))


def connect() -> None:
    user_logged_in.connect(on_sign_in, dispatch_uid="afterglow.preferences.idle")


def idle_middleware(get_response: Any) -> Any:
    """Clinic mode: a patient who chose a shorter time than the clinic's is signed out after it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if modes.current().clinic and request.user.is_authenticated and LIMIT in request.session:
            now, seen = int(time.time()), request.session.get(SEEN, 0)
            if now - int(seen) > int(request.session[LIMIT]) * 60:
                logout(request)  # the sign-in middleware after this one sends them to sign in again
            else:
                request.session[SEEN] = now
        response: HttpResponse = get_response(request)
        return response

    return middleware
