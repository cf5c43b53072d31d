import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")


def _load():  # type: ignore[no-untyped-def]
    """The app, or one line on stderr and status 2 when a variable is missing or wrong (clinic mode's, say)."""
    from afterglow.lib.env import BadEnvironment

    try:
        return get_wsgi_application()
    except BadEnvironment as exc:
        sys.stderr.write(f"afterglow: {exc}\n")
        sys.exit(2)


application = _load()
