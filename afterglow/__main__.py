"""`afterglow` and `python -m afterglow`: Django's management entry point with our settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")
    if len(argv) == 1:
        argv.append("serve")
    argv[0] = "afterglow"
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except BrokenPipeError:
        # `afterglow list | head`: the reader has all it wanted.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    except Exception as exc:  # the last line of defence: never a traceback for a person
        from afterglow.lib.env import BadEnvironment
        from afterglow.lib.errors import describe

        sys.stderr.write(f"afterglow: {describe(exc)}\n")
        sys.exit(2 if isinstance(exc, BadEnvironment) else 1)  # a variable set wrong is bad input


if __name__ == "__main__":
    main()
