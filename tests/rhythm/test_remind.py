"""`afterglow remind` for a fixed clock: what is due, quiet otherwise, and what a locked journal still allows."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from afterglow.journal.models import Course, Session
from afterglow.preferences.store import local
from afterglow.rhythm import preferences
from tests.cli.verbs import refused, run
from tests.vault.conftest import AFTERGLOW, cli_env

TIMES = {"checkin": "20:00", "intention": "19:00", "reflect": "10:00"}


def choose(folder: Path | None = None) -> None:
    if folder is None:
        preferences.save(local(), TIMES, "Europe/London", detailed=False)
        return
    chosen = '[reminders]\ncheckin = "20:00"\nreflect = "10:00"\ntime_zone = "UTC"\n'
    (folder / "config.toml").write_text(chosen, encoding="utf-8")


def remind(moment: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [*AFTERGLOW, "remind", "--at", moment]
    return subprocess.run(command, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


def test_it_prints_the_reminder_due_at_a_fixed_moment(patient):
    choose()
    course = Course.objects.create(owner=patient, start_date=datetime(2027, 3, 1).date())
    Session.objects.create(owner=patient, course=course, started_at=datetime(2027, 3, 10, 10, tzinfo=ZoneInfo("Europe/London")))
    out = run("remind", "--at", "2027-03-09 19:10")
    assert out.startswith("19:00  Your session is tomorrow")
    assert out.count("\n") == 1


def test_it_is_quiet_when_nothing_is_due(patient):
    choose()
    assert run("remind", "--at", "2027-03-09 14:00") == ""


def test_it_is_quiet_when_no_reminder_was_chosen(patient):
    assert run("remind", "--at", "2027-03-09 20:05") == ""


def test_it_refuses_a_moment_it_cannot_read(patient):
    assert "is not a moment" in refused("remind", "--at", "tomorrow evening")
    assert "minutes from 1" in refused("remind", "--within", "0")


def test_it_says_the_session_reminders_when_the_journal_can_be_unlocked(home):
    choose(home)
    done = remind("2025-03-02 10:05", cli_env(home))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("10:00  A quiet moment to look back")


def test_it_still_says_the_daily_check_in_from_a_timer_without_the_passphrase(home):
    choose(home)
    env = {k: v for k, v in cli_env(home).items() if k != "AFTERGLOW_PASSPHRASE"}
    for moment, expected in (("2025-03-03 20:05", "20:00  A minute to notice"), ("2025-03-02 10:05", "")):
        done = remind(moment, env)
        assert (done.returncode, done.stderr) == (0, "")
        assert done.stdout.startswith(expected) and (expected or done.stdout == "")
