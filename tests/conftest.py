"""Shared fixtures. Every test gets its own AFTERGLOW_HOME; no test touches the real one."""

from __future__ import annotations

import os
import tempfile

# The throw-away data dir is chosen in tests/settings_test.py (pytest-django loads settings before
# this file); these lines only keep the same environment for anything that reads it directly.
os.environ.setdefault("AFTERGLOW_HOME", tempfile.mkdtemp(prefix="afterglow-test-home-"))
os.environ.pop("AFTERGLOW_CRISIS_REGION", None)
# Argon2id at a trivial cost comes from tests/settings_test.py (pyproject.toml names it), never
# from the environment; real `afterglow` processes get it through settings_test.program_env().
os.environ.pop("AFTERGLOW_PASSPHRASE", None)

import pytest
from django.test import Client


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "vault_locked: start the test with the journal locked (no data key in memory)")
    config.addinivalue_line("markers", "postgres: also run in the clinic run, on PostgreSQL (pytest --ds tests.settings_clinic)")
    config.addinivalue_line("markers", "clinic: runs only in the clinic run (AFTERGLOW_MODE=clinic on PostgreSQL)")
    config.addinivalue_line("markers", "sqlite_only: left out of the clinic run (tests FTS5 or SQLCipher internals)")
    from django.conf import settings

    if settings.CLINIC:
        from tests import postgres

        postgres.start(config)


def pytest_unconfigure(config) -> None:
    from tests import postgres

    postgres.stop()


def pytest_collection_modifyitems(config, items) -> None:
    """The SQLite run leaves out clinic-only tests; the clinic run keeps only `postgres` and `clinic` ones."""
    from django.conf import settings

    wanted = ("postgres", "clinic") if settings.CLINIC else None
    keep, drop = [], []
    for item in items:
        if wanted is None:
            (drop if item.get_closest_marker("clinic") else keep).append(item)
        else:
            wants = any(item.get_closest_marker(m) for m in wanted) and not item.get_closest_marker("sqlite_only")
            (keep if wants else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def vault_unlocked(request):
    """Every test starts with the journal unlocked, as after typing the passphrase.

    The test database is in memory, so the random key is never applied to it
    (see afterglow/vault/backend/base.py). Mark a test `vault_locked` to start locked.
    """
    from afterglow.vault import guesses, keyring, session

    if request.node.get_closest_marker("vault_locked"):
        session.lock()
    else:
        keyring.remember(os.urandom(32))
    guesses.throttles.clear()
    yield
    session.lock()
    guesses.throttles.clear()


@pytest.fixture
def patient(db):
    from afterglow.access import local_patient

    return local_patient()


@pytest.fixture
def client(db) -> Client:
    """A client that enforces CSRF, as a browser would meet it."""
    c = Client(enforce_csrf_checks=True)
    return c


def csrf_post(client: Client, url: str, data: dict | None = None, **extra):
    """POST with a valid CSRF cookie and token, as a browser form would."""
    from django.middleware.csrf import _get_new_csrf_string

    if "csrftoken" not in client.cookies:
        client.cookies["csrftoken"] = _get_new_csrf_string()
    payload = dict(data or {})
    payload["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    return client.post(url, payload, **extra)
