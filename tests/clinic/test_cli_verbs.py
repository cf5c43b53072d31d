"""The command line in clinic mode: a clinic's server keeps no journal of its own, so the journal
verbs say so in one line (status 2) and touch nothing, while the server's own verbs work."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from afterglow import modes
from afterglow.cli_help import verbs
from afterglow.clinic.models import Member
from afterglow.journal.models import Entry
from tests.clinic.processes import BIN, ROOT, clinic_env

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

# Every other verb of ours is the server's: a new verb fails the first test until it takes a side.
SERVER_VERBS = {"clinic", "prompts", "serve", "worker"}

# One call from each family, written as a person would type it.
REFUSED = [
    ("write", "a line for my journal"),
    ("list", "-n", "5"),
    ("search", "harbour"),
    ("checkin", "--mood", "6"),
    ("measure", "phq9"),
    ("session", "list"),
    ("voice", "note.wav"),
    ("image", "photo.jpg"),
    ("export", "--format", "json"),
    ("import", "journal.json"),
    ("report",),
    ("remind",),
    ("backup",),
    ("restore", "backup.db"),
    ("passphrase",),
    ("init",),
    ("recover",),
]


def afterglow(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "afterglow"), *args], env=clinic_env(home), input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_it_sorts_every_verb_into_the_journals_or_the_servers():
    assert set(verbs()) == modes.JOURNAL_VERBS | SERVER_VERBS
    assert not modes.JOURNAL_VERBS & SERVER_VERBS
    assert {verb for verb in modes.JOURNAL_VERBS if modes.LOCAL_MODE.refuses_verb(verb)} == set()


def test_it_tries_every_journal_verb_below():
    assert {args[0] for args in REFUSED} == modes.JOURNAL_VERBS


@pytest.mark.parametrize("args", REFUSED, ids=[args[0] for args in REFUSED])
def test_it_refuses_a_journal_verb_in_one_kind_line_and_touches_nothing(tmp_path, args):
    done = afterglow(tmp_path, *args, stdin="words that must not be kept\n")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert f"`afterglow {args[0]}` is for a journal kept on one computer" in lines[0]
    assert "each patient's journal lives in their own account" in lines[0]
    assert "migrate" in lines[0] and "worker" in lines[0] and "clinic createadmin" in lines[0]
    assert done.stdout == ""
    assert not Entry.objects.exists()
    assert not (tmp_path / "journal.db").exists()


def test_it_refuses_a_journal_verbs_help_too(tmp_path):
    done = afterglow(tmp_path, "write", "--help")
    assert done.returncode == 2 and "clinic mode" in done.stderr


def test_a_server_verb_still_works_on_the_clinics_database(tmp_path):
    done = afterglow(tmp_path, "migrate", "--check")
    assert done.returncode == 0, done.stderr
    shown = afterglow(tmp_path, "prompts")
    assert shown.returncode == 0 and shown.stdout.strip(), shown.stderr


@pytest.mark.django_db(transaction=True)  # the account is made by another process: committed, then flushed
def test_the_clinic_verb_makes_an_admin_in_clinic_mode(tmp_path):
    done = afterglow(tmp_path, "clinic", "createadmin", "boss")
    assert done.returncode == 0, done.stderr
    assert "/invite/" in done.stdout
    assert Member.objects.filter(user__username="boss", role="admin").exists()
