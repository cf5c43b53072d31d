# Each transcript records which recogniser and model made it; the text so far while a job runs; a remark
# for the person. Every transcript made before this was made by pocketsphinx's bundled en-us model
# (or by faster-whisper, whose model folder was not recorded).
from django.db import migrations, models


def name_the_earlier_engine(apps, schema_editor):
    VoiceNote = apps.get_model("media", "VoiceNote")
    VoiceNote.objects.filter(status="done", engine__in=["", "pocketsphinx"]).update(engine="pocketsphinx", model="en-us")


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0003_caption_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="voicenote",
            name="model",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AddField(
            model_name="voicenote",
            name="partial",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="voicenote",
            name="remark",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(name_the_earlier_engine, migrations.RunPython.noop),
    ]
