"""An index of what a filtered search tests on each entry it finds (owner, time, kind, session),
led by the entry's id, so the test never reads the entry's row (issue 21). Rows are untouched."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("journal", "0008_i11note_checkin_draft")]

    operations = [
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(
                fields=["id", "owner", "created_at", "mode", "session"], name="journal_entry_search_facets"
            ),
        ),
    ]
