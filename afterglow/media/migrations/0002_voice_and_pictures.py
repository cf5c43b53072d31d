# Voice notes and pictures were built side by side; this joins their first migrations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0001_voice"),
        ("media", "0001_visual"),
    ]

    operations = []
