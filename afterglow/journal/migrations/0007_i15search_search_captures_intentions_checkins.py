"""Full-text search over capture answers, intentions (and their revisits) and check-in notes.

SQLite/SQLCipher: FTS5 external-content indexes kept in step by triggers, like the entries'
index (`0002_search`). On PostgreSQL this migration does nothing.
"""

from django.db import migrations


def create_indexes(apps, schema_editor):
    from afterglow.journal.search import CAPTURES, CHECKINS, INTENTIONS

    for index in (CAPTURES, INTENTIONS, CHECKINS):
        index.ensure(schema_editor.connection)


def drop_indexes(apps, schema_editor):
    from afterglow.journal.search import CAPTURES, CHECKINS, INTENTIONS

    for index in (CAPTURES, INTENTIONS, CHECKINS):
        index.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("journal", "0006_i15trash_revision_editing")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
