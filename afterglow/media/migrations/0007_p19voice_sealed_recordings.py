"""Clinic mode: a private entry's recording is stored sealed (`media/voice/privacy.py`).

The columns are added in both modes (empty in local mode, where the whole journal is one
SQLCipher file). On a clinic's server, recordings of entries marked private before this are
sealed here to their patient's public key (no password needed). A job still waiting for one of
them is not lent its key (the entry's title cannot be read here): it will ask the patient to
press Try again, which hands it over.
"""

from typing import Any

from django.db import migrations, models


def seal_existing(apps: Any, schema_editor: Any) -> None:
    from afterglow.journal import private
    from afterglow.media.voice import privacy

    if not private.applies():
        return
    VoiceNote = apps.get_model("media", "VoiceNote")
    for pk in VoiceNote.objects.filter(entry__private=True, audio_key=b"").values_list("pk", flat=True):
        note = VoiceNote.objects.select_related("entry").get(pk=pk)  # one recording in memory at a time
        try:
            privacy.seal(note, note.entry)
        except private.Locked:
            continue  # no key pair yet: sealed when the entry is sealed, at the patient's next sign-in
        note.save(update_fields=["audio", "size", "audio_key", "sealed_partial", "partial", "handed"])


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0006_p19pics_sealed_pictures"),
        ("journal", "0010_i19private_sealed_private_entries"),
    ]

    operations = [
        migrations.AddField(
            model_name="voicenote",
            name="audio_key",
            field=models.BinaryField(blank=True, db_default=b"", default=b""),
        ),
        migrations.AddField(
            model_name="voicenote",
            name="handed",
            field=models.BinaryField(blank=True, db_default=b"", default=b""),
        ),
        migrations.AddField(
            model_name="voicenote",
            name="sealed_partial",
            field=models.BinaryField(blank=True, db_default=b"", default=b""),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
