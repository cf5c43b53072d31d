"""Settings for the clinic-mode tests: AFTERGLOW_MODE=clinic on a throwaway PostgreSQL cluster.

`pytest --ds tests.settings_clinic` runs the tests marked `postgres` or `clinic`; the cluster is
started by tests/postgres.py before the first connection, and its socket folder replaces the
placeholder host below. `make test` runs this after the SQLite run.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

os.environ["AFTERGLOW_MODE"] = "clinic"
os.environ["DATABASE_URL"] = "postgres://afterglow@%2Fplaceholder-until-the-cluster-starts/afterglow"
os.environ["AFTERGLOW_SECRET_KEY"] = secrets.token_urlsafe(50)
os.environ["AFTERGLOW_ALLOWED_HOSTS"] = "testserver,clinic.test"
os.environ["AFTERGLOW_PROXY_SSL_HEADER"] = "X-Forwarded-Proto"

from tests.settings_test import *  # noqa: F403

MODULE = "tests.settings_clinic"

# Whitenoise serves collected files in clinic mode; the tests' data folder starts without them.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
