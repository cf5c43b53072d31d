"""`afterglow --help` answers from the command modules' source, without importing Django."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management import get_commands

from afterglow import cli_help


def test_it_lists_every_afterglow_verb_django_knows():
    ours = {name for name, app in get_commands().items() if app.startswith("afterglow")}
    assert set(cli_help.verbs()) == ours
    assert "List your newest entries." in cli_help.usage()


def test_it_answers_help_without_importing_django():
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "afterglow", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "  write " in done.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line]
    assert "afterglow.cli_help" in imported
    assert not [name for name in imported if name.startswith("django")]


def test_in_clinic_mode_help_offers_the_servers_verbs_and_says_where_the_journal_is():
    env = {**os.environ, "AFTERGLOW_MODE": "clinic"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "afterglow", "--help"],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert done.returncode == 0
    assert "  worker " in done.stdout and "  clinic " in done.stdout
    assert "  write " not in done.stdout and "  backup " not in done.stdout
    assert "each patient's journal lives in their own account" in done.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line]
    assert not [name for name in imported if name.startswith("django")]
