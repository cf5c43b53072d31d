"""The thin CLI client: `list`, `search` and `write` answered by a running, unlocked `afterglow serve`.

No Django and no key derivation here: the server already holds the journal open, so the
verb runs there (the very same management command, on the terminal facts sent along) and
this process only prints what it answers. Anything the server cannot answer exactly as
this process would — locked, another environment, the editor — goes the direct way
(`None` from `run`), which unlocks with the passphrase like any CLI verb.

Once the server has said it accepted a request, there is no going back to the direct way
(a write might have been saved): a broken answer is reported instead.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from afterglow import cli_socket, modes
from afterglow.lib.env import BadEnvironment, data_home, envbool, time_zone_name

VERBS = frozenset({"list", "search", "write"})
# Off: this command unlocks for itself even when a server could answer it (the server reads it too).
SWITCH = "AFTERGLOW_CLI_SOCKET"
# How long to wait for a server to connect and say whether it will answer; then the direct way.
CONNECT_SECONDS = 3.0
# A search over a very large journal may take a while; a server that says nothing for this
# long is stuck, and the person gets a line saying so rather than a hang.
ANSWER_SECONDS = 600.0
BROKEN = "afterglow: the running Afterglow server stopped answering; run `afterglow list` to see what was saved"


def run(args: list[str]) -> int | None:
    """The exit status of `afterglow <args>` answered by the server, or None to go the direct way."""
    if not args or args[0] not in VERBS or not envbool(SWITCH, True) or not cli_socket.supported():
        return None
    try:
        if not modes.named(os.environ.get("AFTERGLOW_MODE", modes.LOCAL)).unlocks_in_process:
            return None  # a clinic's server has no unlocked journal of yours to ask
        header = request_header(args)
        home = data_home()
    except BadEnvironment:
        return None  # the direct way says what is wrong, in its own words
    sock = connect(cli_socket.path_for(home))
    if sock is None:
        return None
    with sock:
        try:
            answer, body = converse(sock, header)
        except _Declined:
            return None
        except (OSError, cli_socket.Unusable, ValueError):
            sys.stderr.write(BROKEN + "\n")
            return 1
    return _print(answer, body)  # outside: a reader that hung up (`| head`) is no broken server


def request_header(args: list[str]) -> dict[str, object]:
    """The verb's arguments and the facts about this terminal that the output depends on."""
    stdout_tty = _isatty(sys.stdout)
    return {
        "protocol": cli_socket.PROTOCOL,
        "argv": args,
        "stdin_tty": _isatty(sys.stdin),
        "stdout_tty": stdout_tty,
        "stderr_tty": _isatty(sys.stderr),
        "columns": terminal_columns() if stdout_tty else None,
        "time_zone": time_zone_name(),
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE", "afterglow.settings"),
        "no_color": bool(os.environ.get("NO_COLOR")),
        "dumb_terminal": os.environ.get("TERM") == "dumb",
        "entry_max_chars": os.environ.get("AFTERGLOW_ENTRY_MAX_CHARS", "").strip(),
    }


def connect(path: Path) -> socket.socket | None:
    """A connection to this user's own server, or None (no server, a stale file, not private, not ours)."""
    if len(os.fsencode(path)) > cli_socket.MAX_PATH:
        return None
    try:
        cli_socket.check_private_socket(path)
    except cli_socket.Unusable:
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(CONNECT_SECONDS)
    try:
        sock.connect(os.fspath(path))
        # The folder is private, but the kernel's word on who listens is the one that counts.
        if not cli_socket.peer_allowed(cli_socket.peer_uid(sock)):
            raise cli_socket.Unusable("the socket's owner is another user")
    except (OSError, cli_socket.Unusable):  # refused: a socket file left by a server that was killed
        sock.close()
        return None
    return sock


class _Declined(Exception):
    pass


def converse(sock: socket.socket, header: dict[str, object]) -> tuple[dict[str, object], bytes]:
    """The server's final answer and its body (stdout then stderr), sending stdin as it asks."""
    try:
        cli_socket.send(sock, header)
        answer, _ = cli_socket.receive(sock)
    except (OSError, cli_socket.Unusable, ValueError) as exc:
        raise _Declined(str(exc)) from None  # nothing was done: the server hung up before accepting
    if answer.get("status") != "accepted":  # locked, another environment, or not ours to answer
        raise _Declined(str(answer.get("status")))
    # From here on the server may act (a write may be saved): never the direct way after this.
    cli_socket.send(sock, {"status": "go"})
    sock.settimeout(ANSWER_SECONDS)
    while True:
        answer, body = cli_socket.receive(sock)
        if answer.get("status") == "stdin":
            cli_socket.send(sock, {"status": "stdin"}, _read_stdin(int(answer.get("size", 0))))
        elif answer.get("status") == "done":
            return answer, body
        else:
            raise cli_socket.Unusable(f"unexpected answer {answer.get('status')!r}")


def _read_stdin(size: int) -> bytes:
    size = max(0, min(size, cli_socket.MAX_BODY))
    return sys.stdin.buffer.read(size) if size else b""


def _print(answer: dict[str, object], body: bytes) -> int:
    split = int(answer.get("stdout_bytes", 0))  # type: ignore[call-overload]
    out = body[:split].decode("utf-8", "surrogatepass")
    err = body[split:].decode("utf-8", "surrogatepass")
    if out:
        sys.stdout.write(out)
    if err:
        sys.stderr.write(err)
    return int(answer.get("code", 1))  # type: ignore[call-overload]


def terminal_columns(fallback: int = 100) -> int:
    """shutil.get_terminal_size's width (COLUMNS, else the terminal's), without importing shutil."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or fallback


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
