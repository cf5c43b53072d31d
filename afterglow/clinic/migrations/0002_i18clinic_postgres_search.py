"""Full-text search on PostgreSQL (clinic mode): a tsvector column, GIN index and trigger on each
searched table (see afterglow/journal/search_pg.py). On SQLite/SQLCipher this does nothing: the
FTS5 indexes of journal/0002, journal/0007 and media/0003 serve there.
"""

from django.db import migrations


def create(apps, schema_editor):
    from afterglow.journal import search_pg

    search_pg.ensure(schema_editor.connection)


def drop(apps, schema_editor):
    from afterglow.journal import search_pg

    search_pg.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_i18clinic_members_and_invites"),
        ("journal", "0008_i11note_checkin_draft"),
        ("media", "0003_caption_search"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
