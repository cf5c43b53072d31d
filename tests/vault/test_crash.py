from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from afterglow.vault import keyfile, store
from tests.vault.conftest import PASSPHRASE, cli_env

WRITER = Path(__file__).with_name("crash_writer.py")


def test_it_keeps_every_committed_entry_through_sigkill(home: Path):
    command = [sys.executable, str(WRITER), "24", "7"]
    result = subprocess.run(command, env=cli_env(home), capture_output=True, text=True, timeout=120, cwd=WRITER.parents[2])
    assert result.returncode == 0, result.stderr
    printed = {int(line) for line in result.stdout.split()}
    assert len(printed) >= 24  # every round committed something before it was killed

    key = keyfile.load(home / "keys.json").open_with_passphrase(PASSPHRASE)
    conn = store.connect(home / "journal.db", key)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in conn.execute("SELECT id FROM journal_entry")}
    finally:
        conn.close()
    assert printed <= stored
