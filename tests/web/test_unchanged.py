"""A kept read is reused while the database is unchanged, and read again after any change from anywhere."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import connections

from afterglow.web import unchanged


@pytest.fixture
def two_connections(tmp_path, django_db_blocker):
    """Two connections to one journal file, as two server threads (or the server and the CLI) have."""
    django_db_blocker.unblock()
    (tmp_path / "journal.db").touch()  # an open journal is never created by connecting to it
    settings = connections["default"].settings_dict | {"NAME": str(tmp_path / "journal.db")}
    wrappers = [connections["default"].__class__(settings, alias=f"unchanged-{i}") for i in (1, 2)]
    with wrappers[0].cursor() as cursor:
        cursor.execute("CREATE TABLE note (text TEXT)")
    yield wrappers
    for wrapper in wrappers:
        wrapper.close()
    unchanged.forget()
    django_db_blocker.restore()


def counting_reader(wrapper):
    calls = []

    def read():
        calls.append(1)
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM note")
            return cursor.fetchone()[0]

    return read, calls


def insert(wrapper, text="hello"):
    with wrapper.cursor() as cursor:
        cursor.execute("INSERT INTO note VALUES (%s)", [text])


def test_a_kept_read_is_reused_while_nothing_changes(two_connections):
    mine, _ = two_connections
    read, calls = counting_reader(mine)
    assert unchanged.kept("notes", read, mine) == 0
    assert unchanged.kept("notes", read, mine) == 0
    assert len(calls) == 1


def test_a_write_on_the_same_connection_is_seen(two_connections):
    mine, _ = two_connections
    read, calls = counting_reader(mine)
    unchanged.kept("notes", read, mine)
    insert(mine)
    assert unchanged.kept("notes", read, mine) == 1
    assert len(calls) == 2


def test_a_commit_from_another_connection_is_seen(two_connections):
    mine, theirs = two_connections
    read, _ = counting_reader(mine)
    unchanged.kept("notes", read, mine)
    insert(theirs)
    assert unchanged.kept("notes", read, mine) == 1


def test_nothing_is_kept_inside_a_transaction(two_connections):
    mine, _ = two_connections
    read, calls = counting_reader(mine)
    with in_transaction(mine):
        unchanged.kept("notes", read, mine)
        unchanged.kept("notes", read, mine)
    assert len(calls) == 2


def test_forget_drops_what_was_kept(two_connections):
    mine, _ = two_connections
    read, calls = counting_reader(mine)
    unchanged.kept("notes", read, mine)
    unchanged.forget()
    unchanged.kept("notes", read, mine)
    assert len(calls) == 2


@contextmanager
def in_transaction(wrapper):
    """What `transaction.atomic` does, for a connection that is not in `django.db.connections`."""
    wrapper.set_autocommit(False)
    wrapper.in_atomic_block = True
    try:
        yield
    finally:
        wrapper.in_atomic_block = False
        wrapper.rollback()
        wrapper.set_autocommit(True)
