"""Files of the vault: where they live, how they are written, how they are opened raw.

Everything here works below Django's connection handling, on sqlcipher3
connections of our own, so it can check a journal (or a backup) before the
app ever opens it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from sqlcipher3 import dbapi2 as sqlcipher

from afterglow.vault import pagecheck
from afterglow.vault.backend.base import key_pragma
from afterglow.vault.errors import BadBackup, StorageError

PLAIN_HEADER = b"SQLite format 3\x00"


def home() -> Path:
    return Path(settings.HOME)


def journal_path() -> Path:
    return home() / "journal.db"


def keys_path() -> Path:
    return home() / "keys.json"


def backups_dir() -> Path:
    return home() / "backups"


def sidecars(db: Path) -> list[Path]:
    return [db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


@contextlib.contextmanager
def friendly_io() -> Iterator[None]:
    """Disk trouble becomes one clear sentence instead of a traceback."""
    try:
        yield
    except OSError as exc:
        raise StorageError(_describe_os_error(exc)) from exc
    except (sqlcipher.OperationalError, sqlite3.OperationalError) as exc:
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text:
            raise StorageError(_describe_os_error(OSError(errno.EROFS, "read-only"))) from exc
        if "disk is full" in text:
            raise StorageError(_describe_os_error(OSError(errno.ENOSPC, "full"))) from exc
        raise


def _describe_os_error(exc: OSError) -> str:
    where = home()
    if exc.errno == errno.ENOSPC:
        return "The disk is full, so Afterglow could not save. Free some space and try again; nothing was lost."
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"Afterglow cannot write to its data folder ({where}); it is read-only or belongs to another user."
    return f"Afterglow could not use its data folder ({where}): {exc.strerror or exc}."


def atomic_write(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: temp file, fsync, rename; owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def step(name: str) -> None:
    """A named point in a multi-file change; the crash tests ask to be killed exactly there."""
    # Only tests/settings_test.py sets VAULT_KILL_AT: the product's own settings never name a step.
    if name == getattr(settings, "VAULT_KILL_AT", ""):
        os.kill(os.getpid(), signal.SIGKILL)


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def ensure_writable(folder: Path) -> None:
    with friendly_io():
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()


def is_plain(path: Path) -> bool:
    """An unencrypted SQLite file (a journal from before the vault)."""
    try:
        with path.open("rb") as handle:
            return handle.read(16) == PLAIN_HEADER
    except FileNotFoundError:
        return False


def connect(path: Path, key: bytes | None) -> Any:
    # SQLCipher logs decryption failures on stderr; a wrong key is our message to give.
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(key_pragma(key))
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn


def opens(path: Path, key: bytes) -> bool:
    """Whether `key` opens the database at `path` (a quick read of its schema, no integrity check)."""
    conn = connect(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except Exception:
        return False
    finally:
        conn.close()


def check(path: Path, key: bytes) -> None:
    """Raise BadBackup unless `path` opens with `key`, every page is whole and it is a journal.

    Each page's HMAC is checked (`pagecheck`: the check `PRAGMA cipher_integrity_check` makes, in
    one pass on both cores, in less time: bench/README.md): a page changed by even one bit, moved, or not
    written by this key is named. Reading the schema first refuses a file cut short at a page
    boundary (its header counts more pages than it holds), which the HMACs alone let through.
    SQLite's own `integrity_check` walks every b-tree as well, at several times the cost
    (bench/bench_backup.py), and finds nothing more in a copy whose pages all carry this key's
    HMAC: that copy holds exactly the pages the journal held.
    """
    if not path.is_file():
        raise BadBackup(f"There is no file at {path}.")
    if path.stat().st_size == 0:
        raise BadBackup(f"{path.name} is empty, so it cannot be a journal.")
    conn = connect(path, key)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        report = pagecheck.check_file(path, key)
        whole = report.whole
        if 1 in report.damaged:
            # SQLCipher has just read page 1 for the schema, so its HMAC is sound: this file is laid
            # out otherwise than pagecheck knows (another SQLCipher version?). SQLCipher's check decides.
            whole = conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
    except sqlcipher.DatabaseError as exc:
        if "not a database" in str(exc):
            raise BadBackup(
                f"{path.name} cannot be opened with this journal's keys: it belongs to another journal, "
                "or it is not an Afterglow file."
            ) from exc
        raise BadBackup(f"{path.name} is damaged or incomplete ({exc}).") from exc
    finally:
        conn.close()
    if not whole:
        raise BadBackup(f"{path.name} is damaged or incomplete; its integrity check failed.")
    if "django_migrations" not in tables:
        raise BadBackup(f"{path.name} opens, but it holds no Afterglow journal.")


def table_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {name: conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0] for name in names}


def checkpoint(path: Path, key: bytes | None) -> None:
    """Fold the WAL into the main file so the main file alone is the whole journal."""
    conn = connect(path, key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def encrypt_in_place(key: bytes) -> bool:
    """Convert a plain journal.db to SQLCipher; True if it did.

    The plain file stays as a safety copy until the encrypted one is in place
    and holds the same rows; only then is the plain copy removed.
    """
    path = journal_path()
    if not is_plain(path):
        return False
    tmp = path.with_name("journal.db.encrypting")
    safety = path.with_name("journal.db.unencrypted-safety-copy")
    with friendly_io():
        tmp.unlink(missing_ok=True)
        plain = connect(path, None)
        try:
            expected = table_counts(plain)
            version = plain.execute("PRAGMA user_version").fetchone()[0]
            plain.execute(f"ATTACH DATABASE ? AS enc KEY \"x'{key.hex()}'\"", (str(tmp),))
            plain.execute("SELECT sqlcipher_export('enc')")
            plain.execute(f"PRAGMA enc.user_version = {int(version)}")
            plain.execute("DETACH DATABASE enc")
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            plain.close()
        _verify_rows(tmp, key, expected)
        os.replace(path, safety)
        for leftover in sidecars(path):
            leftover.unlink(missing_ok=True)
        os.replace(tmp, path)
        os.chmod(path, 0o600)
        try:
            _verify_rows(path, key, expected)
        except BaseException:
            os.replace(safety, path)
            raise
        shred(safety)
    return True


def _verify_rows(path: Path, key: bytes, expected: dict[str, int]) -> None:
    conn = connect(path, key)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        counts = table_counts(conn)
    finally:
        conn.close()
    if not ok or counts != expected:
        raise StorageError("Encrypting the existing journal did not verify; it was left as it was, nothing was lost.")


def shred(path: Path) -> None:
    """Overwrite, then delete. Best effort: SSDs and journaling file systems may keep old blocks."""
    with contextlib.suppress(FileNotFoundError):
        size = path.stat().st_size
        with path.open("r+b") as handle:
            for _ in range(0, size, 1 << 20):
                handle.write(b"\0" * min(1 << 20, size - handle.tell()))
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()


def copy_file(source: Path, dest: Path) -> None:
    """A copy that is on the disk (fsync) before anyone relies on it; owner-only permissions."""
    shutil.copyfile(source, dest)
    os.chmod(dest, 0o600)
    fd = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
