"""Django database backend: SQLite through SQLCipher.

It is the stock sqlite3 backend with the driver swapped for sqlcipher3 and
the raw data key applied as the very first statement on every connection.
Without a key (the vault has not been set up, or a test database) the file
is plain SQLite, which is what the vault's migration step converts from.
"""

from __future__ import annotations

import datetime
import decimal
import weakref
from collections.abc import Mapping
from itertools import tee
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base as sqlite_base
from django.db.backends.sqlite3._functions import register as register_functions
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from sqlcipher3 import dbapi2 as Database

from afterglow.vault import keyring

# Every page is authenticated with HMAC-SHA256 instead of SQLCipher 4's default SHA-512: on
# this CPU's SHA extensions it makes each commit ~15 % cheaper (bench/README.md), with the same
# AES-256 encryption. A process default, so the journal, its backups and the target of a plain
# journal's conversion (an ATTACH) are all opened and made the same way.
_defaults = Database.connect(":memory:")
_defaults.execute("PRAGMA cipher_default_hmac_algorithm = HMAC_SHA256")
_defaults.close()

Database.register_converter("bool", b"1".__eq__)
Database.register_converter("date", sqlite_base.decoder(parse_date))
Database.register_converter("time", sqlite_base.decoder(parse_time))
Database.register_converter("datetime", sqlite_base.decoder(parse_datetime))
Database.register_converter("timestamp", sqlite_base.decoder(parse_datetime))
Database.register_adapter(decimal.Decimal, str)
Database.register_adapter(datetime.date, sqlite_base.adapt_date)
Database.register_adapter(datetime.datetime, sqlite_base.adapt_datetime)

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA legacy_alter_table = OFF",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA busy_timeout = 5000",
    # Keep temporary tables and sort spills in memory: never plaintext on disk.
    "PRAGMA temp_store = MEMORY",
    # Decrypted pages stay in this connection's cache (16 MB) so repeated reads
    # do not pay for decryption again; this is most of SQLCipher's overhead.
    "PRAGMA cache_size = -16000",
    # What a delete frees is overwritten with zeros, so a purged entry leaves no words in the
    # file's free pages (see afterglow/trash). Checked after connecting: see SECURE_DELETE.
    "PRAGMA secure_delete = ON",
)
SECURE_DELETE = "PRAGMA secure_delete"


# Every wrapper that has opened a connection, in any thread, so that locking can
# close them all at once rather than waiting for each thread's next request.
_wrappers: weakref.WeakSet[DatabaseWrapper] = weakref.WeakSet()


def close_every_connection() -> None:
    for wrapper in list(_wrappers):
        conn = wrapper.connection
        if conn is not None and not wrapper.is_in_memory_db():
            conn.close()


def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


class CursorWrapper(Database.Cursor):
    """Django's format/pyformat → qmark/named conversion, on a sqlcipher3 cursor."""

    convert_query = sqlite_base.SQLiteCursorWrapper.convert_query

    def execute(self, query: str, params: Any = None) -> Any:
        if params is None:
            return super().execute(query)
        names = list(params) if isinstance(params, Mapping) else None
        return super().execute(self.convert_query(query, param_names=names), params)

    def executemany(self, query: str, param_list: Any) -> Any:
        peekable, param_list = tee(iter(param_list))
        first = next(peekable, None)
        names = list(first) if first and isinstance(first, Mapping) else None
        return super().executemany(self.convert_query(query, param_names=names), param_list)


class Connection(Database.Connection):
    """A plain subclass: unlike the C type it can be weakly referenced, so the keyring can track it."""


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    Database = Database
    display_name = "SQLCipher"

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        if keyring.current_key() is not None and not self.is_in_memory_db():
            # An open journal must already exist: a missing journal.db is an error, never a new empty one.
            uri = Path(conn_params["database"]).absolute().as_uri()
            conn_params = {**conn_params, "database": f"{uri}?mode=rw", "uri": True}
        conn = Database.connect(**conn_params, factory=Connection)
        # SQLCipher would log a wrong key on stderr; the vault reports it in words instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        key = keyring.current_key()
        self.opened_with = key
        _wrappers.add(self)
        if key is not None and not self.is_in_memory_db():
            conn.execute(key_pragma(key))
            keyring.track(conn)
        register_functions(conn)
        for pragma in PRAGMAS:
            conn.execute(pragma)
        if conn.execute(SECURE_DELETE).fetchone() != (1,):
            conn.close()
            raise Database.OperationalError("this SQLCipher build cannot overwrite deleted data (secure_delete)")
        for init_command in getattr(self, "init_commands", ()):  # Django's `init_command` option
            if init_command := init_command.strip():
                conn.execute(init_command)
        return conn

    def close_if_unusable_or_obsolete(self) -> None:
        # Connections persist between requests (CONN_MAX_AGE); one opened with a
        # key the vault has since forgotten (lock) or replaced must not be reused.
        if self.connection is not None and getattr(self, "opened_with", None) is not keyring.current_key():
            self.close()
            return
        super().close_if_unusable_or_obsolete()

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)
