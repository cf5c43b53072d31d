# A recording made for a capture answer remembers which one, so the transcript reaches it when the job finishes.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("media", "0004_voice_engine_and_model")]

    operations = [
        migrations.AddField(
            model_name="voicenote",
            name="answer_field",
            field=models.CharField(blank=True, max_length=40),
        ),
    ]
