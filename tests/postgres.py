"""The throwaway PostgreSQL cluster of the clinic-mode test run (`pytest --ds tests.settings_clinic`).

One cluster for the whole run (initdb in a temporary folder, a Unix socket inside it, no TCP
port), started before Django's first connection and stopped at the end; pytest-django makes its
test database in it once and rolls back (or flushes) after each test. Where PostgreSQL is not
installed the run stops with one line and status 0, except on CI (`CI` set), where it fails.
"""

from __future__ import annotations

import os

import pytest

_cluster = None


def start(config: pytest.Config) -> None:
    global _cluster
    from django.conf import settings
    from django.db import connections

    from afterglow.clinic.devcluster import ClusterUnavailable, server_bin, start_cluster

    if server_bin() is None and not os.environ.get("CI"):
        pytest.exit("clinic tests skipped: PostgreSQL is not installed here (apt-get install postgresql)", returncode=0)
    try:
        _cluster = start_cluster()
    except ClusterUnavailable as e:
        pytest.exit(f"clinic tests: could not start PostgreSQL: {e}", returncode=1)
    settings.DATABASES["default"]["HOST"] = _cluster.socket_dir
    # Nothing has connected yet, but the handler may have read DATABASES already: read it again.
    connections.__dict__.pop("settings", None)
    for alias in list(connections):
        connections[alias].close()


def stop() -> None:
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None
