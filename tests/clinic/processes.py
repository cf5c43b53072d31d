"""Real `afterglow` and gunicorn processes in clinic mode, on the test run's PostgreSQL database."""

from __future__ import annotations

import os
import secrets
import socket
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def test_database_url() -> str:
    from django.db import connection

    d = connection.settings_dict
    return f"postgres://{d['USER']}@{quote(d['HOST'], safe='')}/{d['NAME']}"


def clinic_env(home: Path, **changes: str | None) -> dict[str, str]:
    """The environment a clinic gives Afterglow (product settings, not the tests'); None removes a variable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AFTERGLOW_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        AFTERGLOW_MODE="clinic",
        AFTERGLOW_HOME=str(home),
        DATABASE_URL=test_database_url(),
        AFTERGLOW_SECRET_KEY=secrets.token_urlsafe(50),
        AFTERGLOW_ALLOWED_HOSTS="clinic.test",
        AFTERGLOW_PROXY_SSL_HEADER="X-Forwarded-Proto",
        PYTHONPATH=str(ROOT),
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
