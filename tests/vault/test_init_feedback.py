"""Creating the journal takes a few seconds: both the CLI and the web say what is happening."""

from __future__ import annotations

from pathlib import Path

from tests.vault.conftest import ok, run


def test_init_says_it_is_creating_the_journal_before_the_slow_step(tmp_path: Path):
    out = ok(run(tmp_path / "home", "init"))
    assert "Creating your encrypted journal; this takes a few seconds…" in out
    assert out.index("Creating your encrypted journal") < out.index("Journal ready")


def test_init_says_nothing_about_creating_when_a_journal_is_already_there(home: Path):
    result = run(home, "init")
    assert result.returncode != 0 and "Creating your encrypted journal" not in result.stdout
