"""Full-text search index over entries (SQLite/SQLCipher: FTS5 kept in step by triggers).

On PostgreSQL this migration does nothing; clinic-mode search brings its own index.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from afterglow.journal.search import ensure_index

    ensure_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    from afterglow.journal.search import drop_index

    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
