"""No journal text may appear in clear in any file under AFTERGLOW_HOME."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from tests.vault.conftest import AFTERGLOW, all_bytes_under, cli_env, ok, run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_through_web(home: Path, text: str) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [*AFTERGLOW, "serve", "--no-browser", "--port", str(port)],
        env=cli_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for _ in range(100):
            try:
                page = opener.open(base + "/write", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "text": text, "then": "finish"}).encode()
        request = urllib.request.Request(base + "/write", data=body, headers={"Referer": base + "/write"})
        assert opener.open(request, timeout=10).status == 200
    finally:
        server.terminate()
        server.wait(10)


def test_it_never_leaves_journal_text_in_clear_on_disk(home: Path):
    web_canary = f"canary-web-{uuid.uuid4().hex}"
    cli_canary = f"canary-cli-{uuid.uuid4().hex}"
    _write_through_web(home, f"a private thought {web_canary}")
    ok(run(home, "write", f"another private thought {cli_canary}"))
    ok(run(home, "backup"))

    files = all_bytes_under(home)
    assert any(p.parent.name == "backups" for p, _ in files)
    for canary in (web_canary, cli_canary):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            needle = canary.encode(encoding)
            assert [p for p, data in files if needle in data] == []

    listing = ok(run(home, "search", cli_canary.split("-")[-1])) + ok(run(home, "list", "--json"))
    assert cli_canary in listing and web_canary in listing
