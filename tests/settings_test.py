"""Settings for the test suite only: the product's settings plus a trivial Argon2id cost.

The product never imports this module (it is not installed with Afterglow): pytest loads it
(pyproject.toml), and tests that start a real `afterglow` process pass it in their environment
with `program_env()`. A person who sets AFTERGLOW_KDF_FAST, or anything else, still gets the
full cost, since afterglow/settings.py reads no such switch.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# pytest-django reads the settings before any conftest runs, so the throw-away data folder is
# chosen here: a test process never opens the person's real journal folder. A real `afterglow`
# process started by a test (program_env) has its own AFTERGLOW_HOME already, which wins.
# (Nothing else is taken out of the environment here: such a process may be given a passphrase.)
os.environ.setdefault("AFTERGLOW_HOME", tempfile.mkdtemp(prefix="afterglow-test-home-"))

from afterglow.settings import *  # noqa: F403

VAULT_KDF_FAST_FOR_TESTS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the cheap hasher, for tests only
# Crash tests: the name of a step of backup/restore/init at which the process kills itself (vault/store.step).
VAULT_KILL_AT = os.environ.get("AFTERGLOW_TEST_KILL_AT", "")

MODULE = "tests.settings_test"
_ROOT = str(Path(__file__).resolve().parent.parent)


def program_env(env: dict[str, str]) -> dict[str, str]:
    """`env` for a real `afterglow` process that should use these settings (fast key derivation)."""
    paths = [_ROOT, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    return {**env, "DJANGO_SETTINGS_MODULE": MODULE, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}
