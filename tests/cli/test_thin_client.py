"""The thin client: `list`, `search` and `write` answered by a running `serve` over its private socket.

Real processes for what a person sees; the server's checks (another user, locked) also in-process.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from afterglow import cli_server, cli_socket, cli_thin
from tests.vault.conftest import cli_env, ok, run
from tests.webclient import free_port

LOCKED = "The journal is locked"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("thin") / "home"
    ok(run(home, "init"))
    ok(run(home, "session", "add", "--date", "2025-03-01", "--route", "im"))
    for text in ("the heron stood still in the reeds", "a long walk and then the heron again", "tea with my sister"):
        ok(run(home, "write", text))
    return home


@pytest.fixture
def home(template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "h"
    shutil.copytree(template, target)
    return target


def _ctrl_c_as_at_a_terminal() -> None:
    """A test run started in the background (`.ci/run &`) inherits SIGINT ignored, and Python then keeps
    ignoring it: the server would never see the scenario's Ctrl+C. At a terminal it is not ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_server(home: Path, *, unlocked: bool = True) -> subprocess.Popen:
    env = cli_env(home)
    if not unlocked:
        del env["AFTERGLOW_PASSPHRASE"]
    server = subprocess.Popen(
        [sys.executable, "-m", "afterglow", "serve", "--no-browser", "--port", str(free_port())],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_ctrl_c_as_at_a_terminal,
    )  # fmt: skip
    for _ in range(300):
        if _answers(cli_socket.path_for(home)):
            return server
        time.sleep(0.1)
    server.kill()
    raise AssertionError("serve never listened on its CLI socket")


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


@pytest.fixture
def server(home: Path) -> Iterator[subprocess.Popen]:
    process = start_server(home)
    yield process
    process.terminate()
    process.wait(10)


def thin(home: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """A CLI process with no passphrase at all: only the server can answer it."""
    return run(home, *args, input=input, AFTERGLOW_PASSPHRASE="")


def test_it_answers_without_a_passphrase_while_serve_is_unlocked(home, server):
    listed = thin(home, "list", "-n", "2")
    assert listed.returncode == 0, listed.stderr
    assert "tea with my sister" in listed.stdout
    found = thin(home, "search", "heron", "--json")
    assert sorted(hit["snippet"].count("[heron]") for hit in json.loads(found.stdout)) == [1, 1]


def test_its_output_is_the_direct_ways_output(home):
    commands = [
        ("list", "-n", "5"),
        ("list", "--json"),
        ("search", "heron"),
        ("search", "heron", "--json"),
        ("search", "nothing-like-this"),
        ("list", "-n", "0"),
        ("write", "--session", "99", "for a session that is not there"),
        ("list", "--help"),
    ]
    direct = [run(home, *command) for command in commands]
    process = start_server(home)
    try:
        answered = [thin(home, *command) for command in commands]
        written = thin(home, "write", input="from the pipe, through the server\n")
    finally:
        process.terminate()
        process.wait(10)
    for one, other in zip(direct, answered, strict=True):
        assert (one.returncode, one.stdout, one.stderr) == (other.returncode, other.stdout, other.stderr)
    assert [one.returncode for one in direct[-4:]] == [0, 2, 2, 0]  # refusals and help are the same too
    assert (written.returncode, written.stdout) == (0, "Saved entry 4.\n")
    assert ok(run(home, "write", "and one more, directly")) == "Saved entry 5.\n"
    assert "from the pipe, through the server" in ok(run(home, "list", "--json"))


def test_it_passes_stdin_and_its_refusals_through_unchanged(home, server):
    env = cli_env(home, AFTERGLOW_PASSPHRASE="")
    for data, words in ((b"caf\xe9 latin-1", b"not UTF-8"), (b"a" * 5_000_000, b"too long")):
        refused = subprocess.run([sys.executable, "-m", "afterglow", "write"], env=env, input=data, capture_output=True)
        assert refused.returncode == 2 and words in refused.stderr and refused.stderr.count(b"\n") == 1


def test_a_write_acknowledged_by_the_server_survives_it_being_killed(home):
    process = start_server(home)
    try:
        assert thin(home, "write", "said just before the power went").stdout == "Saved entry 4.\n"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert "said just before the power went" in ok(run(home, "list", "-n", "1"))


def test_with_the_socket_switched_off_a_command_unlocks_for_itself_even_beside_a_server(home, server):
    # The running server would answer; AFTERGLOW_CLI_SOCKET=0 on the command asks the journal file itself.
    refused = run(home, "list", AFTERGLOW_PASSPHRASE="", AFTERGLOW_CLI_SOCKET="0")
    assert refused.returncode == 2 and LOCKED in refused.stderr and refused.stdout == ""


def test_a_locked_server_answers_nothing_and_the_client_asks_for_the_passphrase(home):
    process = start_server(home, unlocked=False)
    try:
        refused = thin(home, "list")
        assert refused.returncode == 2 and LOCKED in refused.stderr and refused.stdout == ""
        assert "tea with my sister" in ok(run(home, "list"))  # the passphrase opens it as always
    finally:
        process.terminate()
        process.wait(10)


def test_a_stale_socket_left_by_a_killed_server_is_passed_by_and_replaced(home):
    process = start_server(home)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    path = cli_socket.path_for(home)
    assert path.exists() and not _answers(path)
    assert LOCKED in thin(home, "list").stderr  # nobody answers: the direct way, which needs the passphrase
    assert "tea with my sister" in ok(run(home, "list"))
    process = start_server(home)  # the next server takes the name over
    try:
        assert "tea with my sister" in ok(thin(home, "list"))
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl+C
        process.wait(10)
    assert not path.exists()  # a server stopped with Ctrl+C takes its socket with it


def test_its_socket_is_the_users_alone(home, server):
    path = cli_socket.path_for(home)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_it_does_not_use_a_socket_in_a_folder_others_can_enter(home, server):
    folder = cli_socket.folder_for(home)
    folder.chmod(0o755)
    try:
        assert LOCKED in thin(home, "list").stderr
    finally:
        folder.chmod(0o700)


# --- the server's checks, in process --------------------------------------------------------


def _ask(header: dict, monkeypatch, *, uid: int | None = None, unlocked: bool = True, confirm: bool = True) -> dict:
    server_end, client_end = socket.socketpair(socket.AF_UNIX)
    ran: list[str] = []
    monkeypatch.setattr(cli_server, "journal_open", lambda: unlocked)
    monkeypatch.setattr(cli_server, "run_verb", lambda header, conn: ran.append("ran") or (0, "", ""))
    if uid is not None:
        monkeypatch.setattr(cli_socket, "peer_uid", lambda sock: uid)
    with server_end, client_end:
        cli_socket.send(client_end, header)
        if confirm:
            cli_socket.send(client_end, {"status": "go"})  # read by the server only once it has accepted
        client_end.shutdown(socket.SHUT_WR)
        with contextlib.suppress(cli_socket.Unusable):
            cli_server.answer(server_end)
        server_end.shutdown(socket.SHUT_WR)
        answer, _ = cli_socket.receive(client_end)
        following = None
        with contextlib.suppress(cli_socket.Unusable):
            following = cli_socket.receive(client_end)[0]
    return {"answer": answer["status"], "ran": bool(ran), "then": following and following["status"]}


def _header(*argv: str) -> dict:
    return {**cli_thin.request_header(list(argv)), "settings": os.environ["DJANGO_SETTINGS_MODULE"]}


def test_the_server_refuses_another_user(monkeypatch):
    assert cli_socket.peer_allowed(os.getuid()) and not cli_socket.peer_allowed(os.getuid() + 1)
    assert _ask(_header("list"), monkeypatch, uid=os.getuid() + 1) == {"answer": "refused", "ran": False, "then": None}


def test_the_server_answers_its_own_user(monkeypatch):
    assert _ask(_header("list"), monkeypatch) == {"answer": "accepted", "ran": True, "then": "done"}


def test_the_server_does_nothing_for_a_client_that_gave_up_before_it_accepted(monkeypatch):
    assert _ask(_header("write", "said once"), monkeypatch, confirm=False) == {"answer": "accepted", "ran": False, "then": None}


def test_the_server_refuses_while_locked(monkeypatch):
    assert _ask(_header("list"), monkeypatch, unlocked=False) == {"answer": "locked", "ran": False, "then": None}


def test_the_server_sends_a_write_for_the_editor_back_to_the_terminal(monkeypatch):
    header = {**_header("write"), "stdin_tty": True}
    assert _ask(header, monkeypatch)["answer"] == "direct"
    assert _ask({**header, "argv": ["write", "given as text"]}, monkeypatch)["answer"] == "accepted"


def test_the_server_declines_what_would_print_differently(monkeypatch):
    assert _ask({**_header("list"), "no_color": not os.environ.get("NO_COLOR")}, monkeypatch)["answer"] == "direct"
    assert _ask({**_header("list"), "settings": "somewhere.else"}, monkeypatch)["answer"] == "direct"
    assert _ask(_header("list", "--settings=x"), monkeypatch)["answer"] == "direct"
    assert _ask(_header("export"), monkeypatch)["answer"] == "direct"


def test_the_client_talks_only_to_its_own_user(tmp_path, monkeypatch):
    folder = tmp_path / "cli"
    folder.mkdir(mode=0o700)
    path = folder / cli_socket.NAME
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        path.chmod(0o600)
        listener.listen(1)
        sock = cli_thin.connect(path)
        assert sock is not None
        sock.close()
        monkeypatch.setattr(cli_socket, "peer_uid", lambda sock: os.getuid() + 1)
        assert cli_thin.connect(path) is None


def test_a_stale_socket_file_is_removed_before_listening(tmp_path):
    folder = tmp_path / "cli"
    folder.mkdir(mode=0o700)
    path = folder / cli_socket.NAME
    with socket.socket(socket.AF_UNIX) as dead:
        dead.bind(str(path))  # bound, never listening, then closed: what a killed server leaves
    assert cli_server._clear_stale(path) and not path.exists()


# --- the direct way's quick exit ------------------------------------------------------------


def test_a_direct_write_ended_with_os_exit_is_saved_while_a_server_holds_the_journal(home):
    process = start_server(home)
    cli_socket.folder_for(home).chmod(0o755)  # the client will not use it: the direct way, beside the server
    try:
        assert ok(run(home, "write", "written beside a running server")) == "Saved entry 4.\n"
        assert ok(run(home, "list", "-n", "1", "--json")).count('"text"') == 1  # output flushed before the exit
    finally:
        process.send_signal(signal.SIGKILL)  # the server never closes the journal or checkpoints it
        process.wait(10)
    assert "written beside a running server" in ok(run(home, "list", "-n", "1"))


def _wrapper(path: Path):
    import sqlite3

    class Wrapper:
        vendor = "sqlite"
        connection = sqlite3.connect(path)

        def is_in_memory_db(self) -> bool:
            return False

    Wrapper.connection.execute("PRAGMA synchronous = NORMAL")
    return Wrapper()


def _synchronous(wrapper) -> int:
    return wrapper.connection.execute("PRAGMA synchronous").fetchone()[0]


def test_a_cli_connection_fsyncs_every_commit(tmp_path):
    from afterglow.cli_durable import every_commit_synced

    wrapper = _wrapper(tmp_path / "j.db")
    every_commit_synced(None, wrapper)
    assert _synchronous(wrapper) == 2  # FULL


def test_in_the_server_only_a_cli_requests_connections_fsync_every_commit(tmp_path):
    web, cli = _wrapper(tmp_path / "a.db"), _wrapper(tmp_path / "b.db")
    cli_server.sync_every_commit(None, web)
    cli_server._route.durable = True
    try:
        cli_server.sync_every_commit(None, cli)
    finally:
        cli_server._route.durable = False
    assert (_synchronous(web), _synchronous(cli)) == (1, 2)  # NORMAL for pages, FULL for the CLI


def _on_a_terminal(home: Path, *args: str, passphrase: str) -> bytes:
    """What a command prints to a terminal (a pty) that is 60 columns wide."""
    import pty

    leader, follower = pty.openpty()
    env = cli_env(home, AFTERGLOW_PASSPHRASE=passphrase, COLUMNS="60")
    env.pop("NO_COLOR", None)
    env.pop("TERM", None)
    process = subprocess.Popen([sys.executable, "-m", "afterglow", *args], env=env, stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    printed = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's far end closed
            break
        if not chunk:
            break
        printed += chunk
    os.close(leader)
    assert process.wait(30) == 0, process.stderr.read() if process.stderr else b""
    return printed


def test_on_a_terminal_it_prints_the_width_and_colour_the_direct_way_does(home):
    from tests.vault.conftest import PASSPHRASE

    direct = [_on_a_terminal(home, *args, passphrase=PASSPHRASE) for args in (("list",), ("search", "heron"))]
    process = start_server(home)
    try:
        answered = [_on_a_terminal(home, *args, passphrase="") for args in (("list",), ("search", "heron"))]
    finally:
        process.terminate()
        process.wait(10)
    assert answered == direct
    assert b"\x1b[1m" in direct[1]  # bold matches: it was a terminal
    assert max(len(line) for line in direct[0].decode().splitlines()) <= 60


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("passphrase", ["direct", "thin"])
def test_output_that_cannot_be_written_is_a_failure_either_way(home, passphrase):
    from tests.vault.conftest import PASSPHRASE

    process = start_server(home) if passphrase == "thin" else None
    try:
        env = cli_env(home, AFTERGLOW_PASSPHRASE="" if process else PASSPHRASE)
        with open("/dev/full", "wb") as full:
            done = subprocess.run([sys.executable, "-m", "afterglow", "list"], env=env, stdout=full, stderr=subprocess.PIPE)
    finally:
        if process:
            process.terminate()
            process.wait(10)
    assert done.returncode != 0 and done.stderr.count(b"\n") == 1 and b"Traceback" not in done.stderr


def test_a_reader_that_stops_early_is_no_broken_server(home, server):
    ok(thin(home, "write", input="a long entry " * 40_000))  # half a megabyte: more than a pipe holds
    env = cli_env(home, AFTERGLOW_PASSPHRASE="")
    process = subprocess.Popen(
        [sys.executable, "-m", "afterglow", "list", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10)  # `| head -c 10`
    process.stdout.close()
    assert process.wait(30) == 0
    assert process.stderr.read() == b""


def test_the_server_closes_its_socket_folder_again_before_listening(home):
    folder = cli_socket.folder_for(home)
    folder.mkdir(mode=0o700)
    folder.chmod(0o755)
    process = start_server(home)
    try:
        assert folder.stat().st_mode & 0o777 == 0o700
        assert "tea with my sister" in ok(thin(home, "list"))
    finally:
        process.terminate()
        process.wait(10)


def test_a_server_started_with_the_socket_off_answers_no_command(home):
    from tests.webclient import serving

    with serving(cli_env(home, AFTERGLOW_CLI_SOCKET="0"), let_in=False):
        assert not cli_socket.path_for(home).exists()
        assert LOCKED in thin(home, "list").stderr
