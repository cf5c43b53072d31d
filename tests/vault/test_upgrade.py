"""A journal last migrated by an older Afterglow is brought up to date by the first verb that opens it."""

from __future__ import annotations

from pathlib import Path

from tests.vault.conftest import ok, python, run

# Stands in for an older Afterglow: the journal as it was before the caption index existed.
STEP_BACK = (
    "import django; django.setup();"
    "from afterglow.vault.session import unlock_for_cli, schema_behind; unlock_for_cli();"
    "from django.core.management import call_command; call_command('migrate', 'media', '0002', verbosity=0);"
    "print(schema_behind())"
)


def step_back(home: Path) -> str:
    return python(home, STEP_BACK).strip()


def test_a_cli_verb_takes_in_a_migration_it_has_not_seen(home: Path):
    assert step_back(home) == "True"
    # The new search reads the caption index, which the older journal does not have yet.
    found = ok(run(home, "search", "colours"))
    assert "colours" in found
    assert step_back(home) == "True"  # stepped back again; and a plain write brings it forward too
    ok(run(home, "write", "after the upgrade"))
    assert "after the [upgrade]" in ok(run(home, "search", "upgrade"))
