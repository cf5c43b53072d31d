"""`afterglow` and `python -m afterglow`: Django's management entry point with our settings.

`list`, `search` and `write` first ask a running, unlocked `afterglow serve` over its private
socket (afterglow/cli_thin.py: no Django, no key derivation in this process); otherwise, or
when it declines, they run here like every other verb. Those three end the process as soon
as their output is flushed and the journal closed, rather than waiting for the interpreter
to take down some six hundred modules one by one.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys

TYPE_CHECKING = False  # without importing typing, which this short path does not otherwise need
if TYPE_CHECKING:
    from afterglow.modes import Mode

# Verbs that end with os._exit once done: they start no threads and leave no atexit work.
QUICK_EXIT = frozenset({"list", "search", "write"})


def _mode_in_env() -> Mode | None:
    """The mode AFTERGLOW_MODE names, or None: unset is local mode, which has every verb (nothing to import),
    and an unknown name is refused by the settings, in their own words."""
    if not os.environ.get("AFTERGLOW_MODE", "").strip():
        return None
    from afterglow import modes
    from afterglow.lib.env import BadEnvironment

    try:
        return modes.named(os.environ["AFTERGLOW_MODE"])
    except BadEnvironment:
        return None


def _help() -> str:
    """`afterglow --help`; in clinic mode without the journal's verbs, and one line saying where the journal is."""
    from afterglow.cli_help import usage

    mode = _mode_in_env()
    if mode is None or not mode.clinic:
        return usage()
    from afterglow import modes

    return usage(
        modes.JOURNAL_VERBS,
        "Clinic mode: each patient's journal lives in their own account on the clinic's web pages, "
        "so the journal's verbs (write, list, backup, ...) are not offered here.",
    )


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) == 1:
        argv.append("serve")
    argv[0] = "afterglow"
    if argv[1:] in (["--help"], ["-h"]):
        sys.stdout.write(_help())
        sys.exit(0)
    _refuse_a_verb_the_mode_lacks(argv[1])
    quick = argv[1] in QUICK_EXIT
    if quick:
        # A process this short frees its memory by ending: the collector's passes over the six
        # hundred modules Django imports cost ~50 ms of CPU and would free next to nothing.
        gc.disable()
    code = _answer(argv, thin=quick)
    if quick:
        _quick_exit(code)
    sys.exit(code)


def _answer(argv: list[str], *, thin: bool) -> int:
    try:
        if thin:
            from afterglow import cli_thin

            answered = cli_thin.run(argv[1:])
            if answered is not None:
                return answered
        _direct(argv, durable=thin)
        return 0
    except SystemExit as exc:
        return _status(exc)
    except BrokenPipeError:
        # `afterglow list | head`: the reader has all it wanted.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
    except Exception as exc:  # the last line of defence: never a traceback for a person
        from afterglow.lib.env import BadEnvironment
        from afterglow.lib.errors import describe

        sys.stderr.write(f"afterglow: {describe(exc)}\n")
        return 2 if isinstance(exc, BadEnvironment) else 1  # a variable set wrong is bad input


def _refuse_a_verb_the_mode_lacks(verb: str) -> None:
    """A clinic's server keeps no journal of its own: `afterglow write` there says so and stops (status 2)."""
    mode = _mode_in_env()
    why = mode.refuses_verb(verb) if mode is not None else ""
    if why:
        sys.stderr.write(f"afterglow: {why}\n")
        sys.exit(2)


def _direct(argv: list[str], *, durable: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")
    if durable:
        from afterglow import cli_apps
        from afterglow.cli_prederive import prepare
        from afterglow.lib.env import data_home

        cli_apps.quick_verb()  # before the settings load: they leave out the apps these verbs never use
        prepare(data_home())
        from django.conf import settings

        cli_apps.configure_logging(settings)
        # The verb's saves are acknowledged ("Saved entry 12.") only once they are on disk,
        # even while a server holds the journal open and the WAL is not checkpointed on close.
        from django.db.backends.signals import connection_created

        from afterglow.cli_durable import every_commit_synced

        connection_created.connect(every_commit_synced, dispatch_uid="afterglow-cli-durable")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _status(exc: SystemExit) -> int:
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or 0
    sys.stderr.write(f"{exc.code}\n")  # what the interpreter would print for sys.exit("text")
    return 1


def _quick_exit(code: int) -> None:
    """Flush, close the journal, and end without the interpreter's teardown (0.13–0.18 s of it)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as exc:  # a full disk under `> file`: say so, and fail as the interpreter would (120)
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"afterglow: the output could not be written ({exc.strerror})\n")
        code = code or 120
    except (AttributeError, ValueError):  # no stdout at all (closed before start)
        pass
    with contextlib.suppress(OSError, AttributeError, ValueError):
        sys.stderr.flush()
    if "django.db" in sys.modules and _settings_loaded():
        from django.db import connections

        connections.close_all()  # every save is already committed (and synced); this ends the file's use
    os._exit(code)


def _settings_loaded() -> bool:
    """False when the settings never loaded (a variable set wrong): then no connection was ever opened."""
    from django.conf import settings

    return settings.configured


if __name__ == "__main__":
    main()
