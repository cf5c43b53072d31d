"""No journal text may appear in clear in any file under AFTERGLOW_HOME."""

from __future__ import annotations

import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from tests.vault.conftest import all_bytes_under, cli_env, ok, run
from tests.webclient import serving


def _write_through_web(home: Path, text: str) -> None:
    with serving(cli_env(home)) as web:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": web.token("/write"), "text": text, "then": "finish"})
        status, _, _ = web.post("/write", body.encode(), "application/x-www-form-urlencoded")
        assert status == 200


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
