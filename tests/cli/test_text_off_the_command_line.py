"""Journal text can always reach the CLI through stdin, never only through argv (visible in /proc, kept in history)."""

from __future__ import annotations

import io
import sys

import pytest

from afterglow.journal.models import CheckIn, Intention
from tests.cli.verbs import refused, run


@pytest.fixture
def stdin(monkeypatch):
    def feed(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))

    return feed


def test_a_checkin_note_of_dash_is_read_from_stdin(patient, stdin):
    stdin(b"a heavy head, then a long walk\n")
    run("checkin", "--mood", "6", "--note", "-")
    assert CheckIn.objects.get().note == "a heavy head, then a long walk"


def test_a_session_intention_of_dash_is_read_from_stdin(patient, stdin):
    stdin(b"to meet the grief gently")
    run("session", "add", "--date", "2025-03-01", "--intention", "-")
    assert Intention.objects.get().text == "to meet the grief gently"


def test_text_on_stdin_that_is_not_utf8_is_refused_kindly(patient, stdin):
    stdin(b"\xff\xfe bad bytes")
    assert "not UTF-8" in refused("checkin", "--mood", "6", "--note", "-")


@pytest.mark.parametrize("verb", ["checkin", "session", "write"])
def test_the_help_says_why_text_belongs_on_stdin(verb):
    from django.core.management import load_command_class

    parser = load_command_class("afterglow.journal", verb).create_parser("afterglow", verb)
    text = parser.format_help()
    if verb == "session":
        text = parser._subparsers._group_actions[0].choices["add"].format_help()  # type: ignore[union-attr]
    assert "visible to other users" in " ".join(text.split())
