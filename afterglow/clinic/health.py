"""Whether this web worker can use its database (clinic mode's /healthz)."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

log = logging.getLogger("afterglow.clinic")


def database_problem() -> str:
    """'' when a trivial query answers; otherwise a short reason naming no host, user or password."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except DatabaseError as exc:
        log.warning("health check: the database did not answer (%s)", type(exc).__name__)
        connection.close()  # the next request starts with a fresh connection
        return type(exc).__name__
    return ""


def startup_problem() -> str:
    """Why a clinic server cannot start ('' when it can): the database must answer and be migrated."""
    from django.conf import settings
    from django.db import OperationalError
    from django.db.migrations.executor import MigrationExecutor

    where = settings.DATABASES["default"]
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"cannot reach the database {where['NAME']!r} named by DATABASE_URL ({reason})"
    finally:
        connection.close()  # gunicorn forks after this: no worker may share the master's connection
    if pending:
        return f"the database has {len(pending)} migration(s) to apply first: afterglow migrate"
    return ""
