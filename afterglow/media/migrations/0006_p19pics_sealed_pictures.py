# Clinic mode: a private entry's drawings and photos are stored sealed (media/visual/sealing.py). The altered
# fields are the same columns; only how the Trash serializes them changes (as stored, never opened).

import afterglow.media.visual.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('media', '0005_i11note_voice_answer_field'),
    ]

    operations = [
        migrations.AddField(
            model_name='picture',
            name='caption_sealed',
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='picture',
            name='sealed',
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AlterField(
            model_name='picture',
            name='caption',
            field=afterglow.media.visual.models.SealableCaption(blank=True, max_length=1000),
        ),
        migrations.AlterField(
            model_name='picture',
            name='image',
            field=afterglow.media.visual.models.SealableBytes(),
        ),
        migrations.AlterField(
            model_name='picture',
            name='strokes',
            field=afterglow.media.visual.models.SealableBytes(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='picture',
            name='thumb',
            field=afterglow.media.visual.models.SealableBytes(),
        ),
    ]
