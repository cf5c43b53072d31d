from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("journal", "0005_i14data_checkin_times_pain_session_readings")]

    operations = [
        migrations.AddField(
            model_name="entryrevision",
            name="editing",
            field=models.CharField(blank=True, max_length=36),
        ),
    ]
