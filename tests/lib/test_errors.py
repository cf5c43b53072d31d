"""The CLI's last line of defence names what went wrong with a path instead of an exception's type."""

from __future__ import annotations

import sqlite3

from afterglow.lib.errors import describe
from tests.vault.conftest import _initialised_template, home, run  # noqa: F401


def test_an_os_error_on_a_named_path_says_which_path_and_why():
    message = describe(FileNotFoundError(2, "No such file or directory", "/nowhere/x.db"))
    assert message == "/nowhere/x.db: no such file or directory"


def test_sqlite_unable_to_open_is_said_in_words():
    message = describe(sqlite3.OperationalError("unable to open database file"))
    assert "could not be opened or created there" in message and "OperationalError" not in message


def test_a_backup_into_proc_is_one_clear_line(home):  # noqa: F811  (the fixture imported above)
    result = run(home, "backup", "-o", "/proc/x.db")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "something went wrong" not in lines[0] and "Traceback" not in result.stderr
