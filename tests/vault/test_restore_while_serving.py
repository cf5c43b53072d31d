"""A restore must never swap the journal under a running server (which would go on saying 200 to saves that go nowhere)."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from tests.vault.conftest import cli_env, export, ok, run
from tests.webclient import Client, free_port, serving


def fingerprint(home: Path) -> dict[str, str]:
    files = [p for p in home.iterdir() if p.name.startswith(("journal.db", "keys"))]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def save_through_web(web: Client, text: str) -> int:
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": web.token("/write"), "text": text, "then": "finish"})
    status, _, _ = web.post("/write", body.encode(), "application/x-www-form-urlencoded")
    return status


def test_restore_is_refused_while_serve_has_the_journal_open_and_every_save_lands(home: Path, tmp_path: Path):
    ok(run(home, "backup", "-o", str(tmp_path / "b.db")))
    with serving(cli_env(home)) as web:
        assert save_through_web(web, "saved before the restore was tried") == 200
        before = fingerprint(home)
        result = run(home, "restore", str(tmp_path / "b.db"))
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
        assert "open in another window or program" in result.stderr and "nothing was changed" in result.stderr
        assert fingerprint(home) == before
        assert save_through_web(web, "saved after the restore was refused") == 200
        # Other verbs still share the journal with the server.
        ok(run(home, "write", "written from the terminal meanwhile"))
    journal = export(home)
    for text in ("saved before the restore was tried", "saved after the restore was refused", "written from the terminal"):
        assert text in journal
    assert not list(home.glob("backups/before-restore-*"))

    ok(run(home, "restore", str(tmp_path / "b.db")))  # once the server has stopped
    assert "saved after the restore was refused" not in export(home)


def test_a_locked_server_holds_the_journal_too(home: Path, tmp_path: Path):
    ok(run(home, "backup", "-o", str(tmp_path / "b.db")))
    env = cli_env(home)
    del env["AFTERGLOW_PASSPHRASE"]
    with serving(env):
        assert "open in another window or program" in run(home, "restore", str(tmp_path / "b.db")).stderr


def test_a_server_killed_with_sigkill_leaves_no_stale_claim(home: Path, tmp_path: Path):
    ok(run(home, "backup", "-o", str(tmp_path / "b.db")))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "afterglow", "serve", "--no-browser", "--port", str(port)],
        env=cli_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        web = Client(f"http://127.0.0.1:{port}")
        for _ in range(300):
            try:
                web.get("/healthz")
                break
            except OSError:
                time.sleep(0.1)
        assert "open in another" in run(home, "restore", str(tmp_path / "b.db")).stderr
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    ok(run(home, "restore", str(tmp_path / "b.db")))
    assert "the colours were warm and slow" in export(home)


def test_a_server_whose_journal_file_is_replaced_behind_its_back_stops_acknowledging_saves(home: Path, tmp_path: Path):
    import urllib.error

    ok(run(home, "backup", "-o", str(tmp_path / "b.db")))
    with serving(cli_env(home)) as web:
        assert save_through_web(web, "saved while all was well") == 200
        token = web.token("/write")
        # Another tool (not Afterglow's restore, which refuses) swaps the file in.
        (home / "journal.db").rename(tmp_path / "pushed-aside.db")
        (tmp_path / "b.db").rename(home / "journal.db")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "text": "would go nowhere", "then": "finish"})
        try:
            status, _, _ = web.post("/write", body.encode(), "application/x-www-form-urlencoded")
        except urllib.error.HTTPError as exc:
            status = exc.code
        assert status == 401  # locked: the page keeps the draft and asks to unlock
        assert b"/unlock" in web.opener.open(web.base + "/timeline", timeout=10).geturl().encode()
