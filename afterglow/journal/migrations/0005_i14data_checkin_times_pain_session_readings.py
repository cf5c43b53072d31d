"""Check-ins by the hour, an optional pain rating, and readings around a session.

A day may now hold several check-ins, each at its own moment (`at`). Every
existing check-in is kept: its moment becomes the time it was last saved when
that was on the check-in's own day (the person checked in that day), and noon
of its day otherwise (a day filled in later). Its `day` never changes.
Sessions gain six optional readings: blood pressure and heart rate before the
dose and before leaving.
"""

from datetime import datetime, time

import django.core.validators
from django.conf import settings
from django.db import migrations, models


def place_existing_checkins(apps, schema_editor):
    from django.utils import timezone

    CheckIn = apps.get_model("journal", "CheckIn")
    for checkin in CheckIn.objects.filter(at__isnull=True).iterator():
        saved = [m for m in (checkin.updated_at, checkin.created_at) if m and timezone.localdate(m) == checkin.day]
        checkin.at = saved[0] if saved else timezone.make_aware(datetime.combine(checkin.day, time(12, 0)))
        checkin.save(update_fields=["at"])


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0004_i11capture_capture_right_now'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='checkin',
            options={'ordering': ['-at', '-id']},
        ),
        migrations.RemoveConstraint(
            model_name='checkin',
            name='one_checkin_a_day',
        ),
        migrations.AddField(
            model_name='checkin',
            name='at',
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(place_existing_checkins, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='checkin',
            name='at',
            field=models.DateTimeField(),
        ),
        migrations.AddField(
            model_name='checkin',
            name='pain',
            field=models.SmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10)]),
        ),
        migrations.AddField(
            model_name='session',
            name='diastolic_before',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(30), django.core.validators.MaxValueValidator(160)]),
        ),
        migrations.AddField(
            model_name='session',
            name='diastolic_leaving',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(30), django.core.validators.MaxValueValidator(160)]),
        ),
        migrations.AddField(
            model_name='session',
            name='heart_rate_before',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(25), django.core.validators.MaxValueValidator(250)]),
        ),
        migrations.AddField(
            model_name='session',
            name='heart_rate_leaving',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(25), django.core.validators.MaxValueValidator(250)]),
        ),
        migrations.AddField(
            model_name='session',
            name='systolic_before',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(60), django.core.validators.MaxValueValidator(260)]),
        ),
        migrations.AddField(
            model_name='session',
            name='systolic_leaving',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(60), django.core.validators.MaxValueValidator(260)]),
        ),
        migrations.AddIndex(
            model_name='checkin',
            index=models.Index(fields=['owner', 'day'], name='journal_che_owner_i_587a17_idx'),
        ),
        migrations.AddIndex(
            model_name='checkin',
            index=models.Index(fields=['owner', '-at'], name='journal_che_owner_i_2d771f_idx'),
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('pain__gte', 0), ('pain__lte', 10)), ('pain__isnull', True), _connector='OR'), name='checkin_pain_range'),
        ),
    ]
