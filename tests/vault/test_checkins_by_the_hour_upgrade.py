"""A journal from the one-check-in-a-day era keeps every check-in when it is next opened, each given a moment."""

from __future__ import annotations

from pathlib import Path

from tests.vault.conftest import ok, python, run

OPEN = "import django; django.setup();from afterglow.vault.session import unlock_for_cli; unlock_for_cli();"

# Stands in for an older Afterglow: the journal before check-ins had a time. The check-in of
# 2 March was last saved that evening; the one of 4 March was filled in five days later.
OLD_CHECKINS = OPEN + (
    "from django.core.management import call_command; call_command('migrate', 'journal', '0004', verbosity=0);"
    "from django.db import connection; c = connection.cursor();"
    "c.execute(\"UPDATE journal_checkin SET created_at = '2025-03-02 07:30:00', updated_at = '2025-03-02 19:15:00'\");"
    'c.execute("INSERT INTO journal_checkin (owner_id, day, mood, note, created_at, updated_at)'
    " SELECT owner_id, '2025-03-04', 3, 'filled in later', '2025-03-09 10:00:00', '2025-03-09 10:00:00'"
    ' FROM journal_checkin");'
    "print(c.execute('SELECT count(*) FROM journal_checkin').fetchone()[0])"
)

MOMENTS = OPEN + (
    "from afterglow.journal.models import CheckIn;"
    "print([(str(c.day), c.at.isoformat(), c.mood, c.note) for c in CheckIn.objects.order_by('day')])"
)


def test_an_older_journal_keeps_its_check_ins_each_at_a_moment_of_its_day(home: Path):
    assert python(home, OLD_CHECKINS, TZ="UTC").strip() == "2"
    ok(run(home, "list", TZ="UTC"))  # the first verb to open the journal brings it up to date
    assert python(home, MOMENTS, TZ="UTC").strip() == str(
        [
            ("2025-03-02", "2025-03-02T19:15:00+00:00", 6, "slept well"),
            ("2025-03-04", "2025-03-04T12:00:00+00:00", 3, "filled in later"),
        ]
    )
    # Several a day from now on.
    ok(run(home, "checkin", "--mood", "8", "--date", "2025-03-02", "--time", "21:00", TZ="UTC"))
    assert "21:00" in python(home, MOMENTS, TZ="UTC")
