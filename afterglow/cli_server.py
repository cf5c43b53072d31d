"""The server's end of the private CLI socket: `afterglow serve` answers `list`, `search` and `write`.

A request names a verb and its arguments; the server runs that verb's own management
command in a thread of its own, with that thread's stdin, stdout and stderr routed to the
client (see `_Routed`), so what the client prints is what the direct way prints. Nothing is
answered while the journal is locked, to another user, or when the client's environment
would make the output differ (the client then goes the direct way and asks for the passphrase).
"""

from __future__ import annotations

import atexit
import contextlib
import io
import logging
import os
import socket
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from afterglow import cli_socket
from afterglow.cli_durable import make_durable
from afterglow.cli_thin import SWITCH, VERBS
from afterglow.lib.env import envbool

log = logging.getLogger("afterglow.cli")
# A client that sends nothing for this long (its request, not its stdin) is dropped.
REQUEST_SECONDS = 30.0
# Options Django reads to change the process itself (settings module, sys.path, tracebacks).
PROCESS_OPTIONS = ("--settings", "--pythonpath", "--traceback")

# At most this many CLI requests at once; each runs in its own thread with its own database connection.
_slots = threading.BoundedSemaphore(4)
_route = threading.local()
_started: dict[Path, tuple[socket.socket, int]] = {}


# --- per-thread standard streams ------------------------------------------------------------


class _Routed:
    """Stands in for sys.stdin/stdout/stderr: a CLI request's thread sees its own streams, every
    other thread (web requests, the background jobs) the real ones."""

    def __init__(self, name: str, real: Any) -> None:
        self._name = name
        self._real = real

    def _target(self) -> Any:
        return getattr(_route, self._name, None) or self._real

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._target(), attr)

    def write(self, text: str) -> int:
        return int(self._target().write(text))

    def isatty(self) -> bool:
        return bool(self._target().isatty())


class Output(io.StringIO):
    """What a verb writes, with the client's terminal facts (`columns` is read by cli_format.line_width)."""

    def __init__(self, tty: bool, columns: int | None = None) -> None:
        super().__init__()
        self._tty = tty
        self.columns = columns

    def isatty(self) -> bool:
        return self._tty


class RemoteStdin(io.RawIOBase):
    """The client's stdin, read only if and when the verb reads it (a write given TEXT never does)."""

    def __init__(self, conn: socket.socket, tty: bool) -> None:
        super().__init__()
        self._conn = conn
        self._tty = tty
        self._ended = False

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._tty

    def readinto(self, buffer: Any) -> int:
        if self._ended:
            return 0
        cli_socket.send(self._conn, {"status": "stdin", "size": len(buffer)})
        waited = self._conn.gettimeout()
        self._conn.settimeout(None)  # `cat | afterglow write` may wait for its person as long as they type
        try:
            _, data = cli_socket.receive(self._conn, max_body=len(buffer))
        finally:
            self._conn.settimeout(waited)
        self._ended = not data
        buffer[: len(data)] = data
        return len(data)


def _install_routing() -> None:
    if not isinstance(sys.stdout, _Routed):
        sys.stdin = _Routed("stdin", sys.stdin)  # type: ignore[assignment]
        sys.stdout = _Routed("stdout", sys.stdout)  # type: ignore[assignment]
        sys.stderr = _Routed("stderr", sys.stderr)  # type: ignore[assignment]


@contextlib.contextmanager
def routed(stdin: Any, stdout: Any, stderr: Any) -> Iterator[None]:
    _route.stdin, _route.stdout, _route.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        _route.stdin = _route.stdout = _route.stderr = None


# --- answering one request --------------------------------------------------------------------


def why_not(header: dict[str, Any]) -> str:
    """Why this request cannot be answered exactly as the direct way would ('' when it can)."""
    argv = header.get("argv")
    if header.get("protocol") != cli_socket.PROTOCOL or not isinstance(argv, list) or not argv:
        return "another version of the client"
    if not all(isinstance(arg, str) for arg in argv) or argv[0] not in VERBS:
        return "not a verb the server answers"
    if any(arg.split("=", 1)[0] in PROCESS_OPTIONS for arg in argv):
        return "an option that changes the process"
    return _environment_differs(header)


def _environment_differs(header: dict[str, Any]) -> str:
    from zoneinfo import ZoneInfo

    if header.get("settings") != settings.SETTINGS_MODULE:
        return "another settings module"
    if bool(os.environ.get("NO_COLOR")) != header.get("no_color") or (os.environ.get("TERM") == "dumb") != header.get(
        "dumb_terminal"
    ):
        return "another colour setting"
    if header.get("entry_max_chars") != os.environ.get("AFTERGLOW_ENTRY_MAX_CHARS", "").strip():
        return "another entry length limit"
    try:
        ZoneInfo(str(header.get("time_zone")))
    except (ValueError, OSError, KeyError):
        return "a time zone this server does not know"
    return ""


def needs_terminal(header: dict[str, Any]) -> bool:
    """`write` with no TEXT on a terminal opens $EDITOR: that happens in the person's own process."""
    argv = header["argv"]
    if argv[0] != "write" or not header.get("stdin_tty"):
        return False
    parser = _command(argv[0]).create_parser("afterglow", argv[0])
    quiet = Output(False)
    with routed(io.StringIO(), quiet, quiet):
        try:
            options = parser.parse_args(argv[1:])
        except SystemExit:
            return False  # the verb will refuse its arguments: that answer is the server's to give
    return options.text is None


def _command(verb: str) -> Any:
    from django.core.management import get_commands, load_command_class

    return load_command_class(get_commands()[verb], verb)


def journal_open() -> bool:
    """As a web request would see it: idle, moved or re-keyed journals lock first."""
    from afterglow.vault import session

    session.lock_if_idle() or session.lock_if_moved() or session.lock_if_rekeyed()
    return session.is_unlocked()


def answer(conn: socket.socket) -> None:
    conn.settimeout(REQUEST_SECONDS)
    verdict, header = _verdict(conn)
    cli_socket.send(conn, verdict)
    if verdict["status"] != "accepted":
        return
    # The client confirms it is still there and will wait for this answer rather than go the direct
    # way: a client that gave up waiting for "accepted" sends nothing, and nothing is done twice.
    confirmed, _ = cli_socket.receive(conn, max_body=0)
    if confirmed.get("status") != "go":
        return
    code, out, err = run_verb(header, conn)
    printed = out.encode("utf-8", "surrogatepass")
    body = printed + err.encode("utf-8", "surrogatepass")
    cli_socket.send(conn, {"status": "done", "code": code, "stdout_bytes": len(printed)}, body)


def _verdict(conn: socket.socket) -> tuple[dict[str, str], dict[str, Any]]:
    """Whether to answer this caller's request: refused (another user), direct, locked, or accepted."""
    uid = cli_socket.peer_uid(conn)
    if not cli_socket.peer_allowed(uid):
        log.warning("refused a CLI connection from another user (uid %s)", uid)
        return {"status": "refused"}, {}
    header, _ = cli_socket.receive(conn, max_body=0)
    reason = why_not(header) or ("the editor runs in the client" if needs_terminal(header) else "")
    if reason:
        return {"status": "direct", "reason": reason}, header
    if not journal_open():
        return {"status": "locked"}, header
    return {"status": "accepted"}, header


def run_verb(header: dict[str, Any], conn: socket.socket) -> tuple[int, str, str]:
    """Run the verb's management command as `afterglow` would, on the client's streams; (status, stdout, stderr)."""
    from django.utils import timezone

    out = Output(bool(header.get("stdout_tty")), header.get("columns") if isinstance(header.get("columns"), int) else None)
    err = Output(bool(header.get("stderr_tty")))
    stdin = io.TextIOWrapper(io.BufferedReader(RemoteStdin(conn, bool(header.get("stdin_tty")))), encoding="utf-8")
    verb = header["argv"][0]
    _route.durable = True
    _durable_now()
    with routed(stdin, out, err), timezone.override(str(header["time_zone"])):
        try:
            command = _command(verb)
            command.needs_unlock = False  # checked above; never unlocked with the server's own environment
            command.run_from_argv(["afterglow", *header["argv"]])
            code = 0
        except SystemExit as exc:
            code = _exit_status(exc, err)
        except Exception as exc:  # as __main__ does: one line for a person, never a traceback
            code = _unexpected(exc, err)
        finally:
            _route.durable = False
    return code, out.getvalue(), err.getvalue()


def _exit_status(exc: SystemExit, err: Output) -> int:
    if exc.code is None or isinstance(exc.code, int):
        return int(exc.code or 0)
    err.write(f"{exc.code}\n")
    return 1


def _unexpected(exc: Exception, err: Output) -> int:
    from afterglow.lib.env import BadEnvironment
    from afterglow.lib.errors import describe

    err.write(f"afterglow: {describe(exc)}\n")
    return 2 if isinstance(exc, BadEnvironment) else 1


def sync_every_commit(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Connections opened for a CLI request fsync each commit (see cli_durable); the web's do not."""
    if getattr(_route, "durable", False):
        make_durable(connection)


def _durable_now() -> None:
    from django.db import connection

    if connection.connection is not None:
        make_durable(connection)


# --- the listening socket --------------------------------------------------------------------


def start(home: Path) -> Path | None:
    """Listen on the data folder's private socket; None when this computer or folder cannot have one."""
    path = cli_socket.path_for(home)
    if not envbool(SWITCH, True) or not cli_socket.supported() or len(os.fsencode(path)) > cli_socket.MAX_PATH:
        return None
    try:
        listener = _listen(path)
    except (OSError, cli_socket.Unusable) as exc:
        log.warning("the CLI will not use this server: %s", exc)
        return None
    if listener is None:
        return None
    from django.db.backends.signals import connection_created

    connection_created.connect(sync_every_commit, dispatch_uid="afterglow-cli-durable")
    _install_routing()
    _started[path] = (listener, os.stat(path).st_ino)
    threading.Thread(target=_accept_loop, args=(listener,), name="afterglow-cli-socket", daemon=True).start()
    atexit.register(stop, path)
    return path


def _listen(path: Path) -> socket.socket | None:
    folder = path.parent
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = os.lstat(folder)
    if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and info.st_mode & 0o077:
        os.chmod(folder, 0o700)  # ours, but opened up (by hand, or a copy): close it again before listening
    cli_socket.check_private_folder(folder)
    if not _clear_stale(path):
        log.warning("another Afterglow server answers the CLI for this journal; this one will not")
        return None
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(str(path))  # in a 0700 folder: nobody else can reach it, even before the chmod
        os.chmod(path, 0o600)
        listener.listen(8)
    except OSError:
        listener.close()
        raise
    return listener


def _clear_stale(path: Path) -> bool:
    """Remove a socket file left by a server that was killed; False when a live server still answers on it."""
    if not os.path.lexists(path):
        return True
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(1.0)
    try:
        probe.connect(str(path))
    except OSError:  # refused (nobody listens) or not a socket at all
        path.unlink()
        return True
    finally:
        probe.close()
    return False


def _accept_loop(listener: socket.socket) -> None:
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return  # closed by stop()
        # A thread each: a command waiting for its person to finish typing into stdin holds up no other.
        if not _slots.acquire(timeout=REQUEST_SECONDS):
            conn.close()  # the client finds nobody answering and goes the direct way
            continue
        threading.Thread(target=_answer_then_close, args=(conn,), name="afterglow-cli-request", daemon=True).start()


def _answer_then_close(conn: socket.socket) -> None:
    try:
        with conn:
            answer(conn)
    except Exception as exc:  # a client that went away; never the request's text in the log
        log.warning("a CLI request was not answered: %s", type(exc).__name__)
    finally:
        _slots.release()


def stop(path: Path) -> None:
    started = _started.pop(path, None)
    if started is None:
        return
    listener, inode = started
    with contextlib.suppress(OSError):
        if os.stat(path).st_ino == inode:  # still ours, not a later server's
            path.unlink()
    listener.close()
