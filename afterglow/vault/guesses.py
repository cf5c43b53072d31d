"""Every form that checks a secret goes through here: per-client waits after wrong guesses.

Unlock, recovery, passphrase change and any "type your passphrase to confirm" form
call `checked(request, attempt)`. The client is a random id kept in the browser's
signed session; a browser that has opened the journal here (the owner's) is trusted,
so strangers' guesses, however many, never make it wait.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from afterglow.vault.errors import VaultError, WrongPassphrase, WrongRecoveryKey
from afterglow.vault.throttle import ClientThrottles

CLIENT_KEY = "vault_client"
TRUSTED_KEY = "vault_trusted"

throttles = ClientThrottles()
T = TypeVar("T")


class TooSoon(VaultError):
    status = 429


def _client(request: Any) -> tuple[str, bool]:
    client = request.session.get(CLIENT_KEY)
    if not isinstance(client, str) or not client:
        client = request.session[CLIENT_KEY] = secrets.token_urlsafe(16)
    return client, bool(request.session.get(TRUSTED_KEY))


def trust(request: Any) -> None:
    """This browser opened the journal: the shared ceiling no longer applies to it."""
    request.session[TRUSTED_KEY] = True


def wait_for(request: Any) -> int:
    return throttles.seconds_left(*_client(request))


def checked(request: Any, attempt: Callable[[], T]) -> T:
    """Run `attempt` unless this client must wait; count a wrong secret, clear the count on success.

    Raises TooSoon while waiting; a wrong secret re-raises with status 429 once a wait applies.
    """
    client, trusted = _client(request)
    if throttles.seconds_left(client, trusted):
        raise TooSoon("Please wait a moment before trying again.")
    try:
        result = attempt()
    except (WrongPassphrase, WrongRecoveryKey) as exc:
        if throttles.failed(client, trusted):
            exc.status = 429
        raise
    throttles.succeeded(client)
    return result
