"""The apps a quick journal verb (`list`, `search`, `write`) loads when it opens the journal itself.

Such a process reads or writes entries and ends. It never queues a job, checks a clinician's
one-time code, serves a static file, shows a message or sends a page with a CSP header, so the
apps that do those are left out: loading them costs ~40 ms of the cold path's ~0.4 s
(django_tasks alone imports `django_stubs_ext`, whose patch imports the admin). No Afterglow
model points at their models, and every Afterglow app stays, so the same rows cascade and the
same signals fire. Their own migrations are applied by the next `serve` or `migrate`.

Local mode only: clinic mode (and every other verb) keeps the whole list.
"""

from __future__ import annotations

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


def installed(apps: list[str], *, clinic: bool) -> list[str]:
    if not _quick or clinic:
        return apps
    return [app for app in apps if app not in NOT_FOR_QUICK_VERBS]
