import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")


def _load():  # type: ignore[no-untyped-def]
    """The app, or one line on stderr and status 2 when clinic mode's variables or database are wrong."""
    from afterglow.lib.env import BadEnvironment

    try:
        app = get_wsgi_application()
        from afterglow import modes

        if modes.current().clinic:
            from afterglow.clinic.health import startup_problem

            problem = startup_problem()
            if problem:
                raise BadEnvironment(problem)
    except BadEnvironment as exc:
        sys.stderr.write(f"afterglow: {exc}\n")
        sys.exit(2)
    return app


application = _load()
