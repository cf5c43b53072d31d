"""Sessions used to be numbered in the order they were added; number them by date.

Existing journals keep every session (and every link, which uses the id); only
the numbers change, so "Session 1" becomes the earliest session of each course.
"""

from django.db import migrations


def renumber_every_course(apps, schema_editor):
    from afterglow.journal.models import renumber_sessions

    Session = apps.get_model("journal", "Session")
    for course_id in Session.objects.values_list("course_id", flat=True).distinct():
        renumber_sessions(Session, course_id)


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_search")]

    # Going back keeps the date order: the old numbers were never meaningful.
    operations = [migrations.RunPython(renumber_every_course, migrations.RunPython.noop, elidable=False)]
