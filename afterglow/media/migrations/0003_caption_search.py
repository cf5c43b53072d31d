"""Full-text search over the captions of drawings and photos (SQLite/SQLCipher: FTS5 kept in step by triggers).

On PostgreSQL this migration does nothing, as for the entries' index.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from afterglow.media.search import CAPTIONS

    CAPTIONS.ensure(schema_editor.connection)


def drop_index(apps, schema_editor):
    from afterglow.media.search import CAPTIONS

    CAPTIONS.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("media", "0002_voice_and_pictures"), ("journal", "0002_search")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
