"""A journal from before sessions were numbered by date is renumbered when it is next opened; nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

from tests.vault.conftest import ok, python, run

# Stands in for an older Afterglow: the journal before the renumbering migration, its
# sessions numbered in the order they were added (the later one first).
OLD_NUMBERS = (
    "import django; django.setup();"
    "from afterglow.vault.session import unlock_for_cli; unlock_for_cli();"
    "from django.core.management import call_command; call_command('migrate', 'journal', '0002', verbosity=0);"
    "from django.db import connection; c = connection.cursor();"
    'c.execute("UPDATE journal_session SET number = number + 100");'
    "c.execute(\"UPDATE journal_session SET number = 1 WHERE date(started_at) = '2025-03-01'\");"
    "c.execute(\"UPDATE journal_session SET number = 2 WHERE date(started_at) = '2025-02-20'\");"
    "print(sorted(c.execute('SELECT number, date(started_at) FROM journal_session').fetchall()))"
)


def test_an_older_journal_gets_its_sessions_numbered_by_date(home: Path):
    ok(run(home, "session", "add", "--date", "2025-02-20", "--dose", "earlier"))
    assert python(home, OLD_NUMBERS).strip() == "[(1, '2025-03-01'), (2, '2025-02-20')]"
    sessions = json.loads(ok(run(home, "session", "list", "--json")))
    assert [(s["number"], s["started_at"][:10]) for s in sessions] == [(1, "2025-02-20"), (2, "2025-03-01")]
    assert sessions[1]["intentions"] == ["meet the fear gently"]
    assert "the colours were warm and slow" in ok(run(home, "list"))
