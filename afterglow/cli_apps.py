"""What a quick journal verb (`list`, `search`, `write`) loads when it opens the journal itself.

Such a process reads or writes entries and ends. It never queues a job, checks a clinician's
one-time code, serves a static file, shows a message or sends a page with a CSP header, so the
apps that do those are left out: loading them costs ~40 ms of the cold path's ~0.4 s
(django_tasks alone imports `django_stubs_ext`, whose patch imports the admin). No Afterglow
model points at their models, and every Afterglow app stays, so the same rows cascade and the
same signals fire. Their own migrations are applied by the next `serve` or `migrate`.

Logging is configured from LOGGING alone, without Django's defaults first: those add a
handler that mails errors to ADMINS (there are none), and making it builds a template engine
for error pages (~15 ms). LOGGING then replaced that logger's handlers anyway.

Local mode only: clinic mode (and every other verb) keeps the whole list and Django's way.
"""

from __future__ import annotations

from typing import Any

NOT_FOR_QUICK_VERBS = frozenset(
    {
        "django.contrib.messages",
        "django.contrib.staticfiles",
        "csp",
        "django_tasks",
        "django_tasks_db",
        "django_otp",
        "django_otp.plugins.otp_totp",
    }
)

_quick = False


def quick_verb() -> None:
    """Called by the entry point before the settings load, for a quick verb on the direct path."""
    global _quick
    _quick = True


def lean(*, clinic: bool) -> bool:
    """Whether the settings being loaded are a quick verb's (asked by settings.py)."""
    return _quick and not clinic


def installed(apps: list[str]) -> list[str]:
    return [app for app in apps if app not in NOT_FOR_QUICK_VERBS]


def configure_logging(settings: Any) -> None:
    """What Django's setup does when LOGGING_CONFIG is the default, less its own defaults."""
    if settings.LOGGING_CONFIG is None and settings.LOGGING:
        import logging.config  # here: the module is imported before Argon2id's peak, and this is not needed then

        logging.config.dictConfig(settings.LOGGING)
