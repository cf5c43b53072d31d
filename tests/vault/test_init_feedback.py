"""Creating the journal takes a few seconds: both the CLI and the web say what is happening."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.vault.conftest import ok, python, run


def test_init_says_it_is_creating_the_journal_before_the_slow_step(tmp_path: Path):
    out = ok(run(tmp_path / "home", "init"))
    assert "Creating your encrypted journal; this takes a few seconds…" in out
    assert out.index("Creating your encrypted journal") < out.index("Journal ready")


def test_init_says_nothing_about_creating_when_a_journal_is_already_there(home: Path):
    result = run(home, "init")
    assert result.returncode != 0 and "Creating your encrypted journal" not in result.stdout


@pytest.mark.vault_locked
def test_the_setup_form_says_it_is_creating_the_journal_on_submit(client, settings, tmp_path: Path):
    settings.HOME = tmp_path
    page = client.get("/setup").content.decode()
    assert 'data-busy="Creating your journal…"' in page and "data-busy-status" in page
    assert re.search(r'<script src="/static/js/busy[^"]*\.js" defer></script>', page)


def test_init_makes_the_local_patient(tmp_path: Path):
    home = tmp_path / "home"
    ok(run(home, "init"))
    code = (
        "import django; django.setup();"
        "from afterglow.vault.session import unlock_for_cli; unlock_for_cli();"
        "from django.contrib.auth import get_user_model;"
        "print(list(get_user_model().objects.values_list('username', flat=True)))"
    )
    assert python(home, code).strip() == "['me']"
