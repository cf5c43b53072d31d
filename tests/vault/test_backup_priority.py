"""The daily backup (seconds of CPU on a large journal) runs below the pages' priority, so pages keep answering."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from afterglow.vault import background, backup, session

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="nice values are per thread on Linux")


def _priority() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@linux_only
def test_it_runs_the_daily_backup_at_a_lower_priority_and_leaves_the_server_thread_as_it_was(monkeypatch, tmp_path):
    seen: dict[str, object] = {}

    def fake_backup() -> Path:
        seen["priority"], seen["thread"] = _priority(), threading.current_thread().name
        return tmp_path / "made.db"

    before = _priority()
    monkeypatch.setattr(session, "lock_if_idle", lambda: False)
    monkeypatch.setattr(session, "lock_if_moved", lambda: False)
    monkeypatch.setattr(session, "is_unlocked", lambda: True)
    monkeypatch.setattr(background, "_backup_due", lambda: True)
    monkeypatch.setattr(background, "chores", {})
    monkeypatch.setattr(backup, "make_backup", fake_backup)
    background.tick()
    assert seen["thread"] == "afterglow-backup"
    assert seen["priority"] == min(before + background.BACKUP_NICENESS, 19)
    assert _priority() == before


def test_it_hands_back_the_backups_result_and_its_error():
    assert background.gently(lambda: 42) == 42

    def broken() -> None:
        raise backup.BadDestination("no room")

    with pytest.raises(backup.BadDestination, match="no room"):
        background.gently(broken)
