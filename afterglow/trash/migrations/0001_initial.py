import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="TrashItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=40)),
                ("label", models.CharField(max_length=200)),
                ("root", models.CharField(max_length=80)),
                ("payload", models.TextField()),
                ("deleted_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("purge_after", models.DateTimeField()),
                ("restored_at", models.DateTimeField(blank=True, null=True)),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="trash", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["-deleted_at", "-id"],
                "indexes": [
                    models.Index(fields=["owner", "-deleted_at"], name="trash_trash_owner_i_dc6279_idx"),
                    models.Index(fields=["purge_after"], name="trash_trash_purge_a_7ec042_idx"),
                ],
            },
        ),
    ]
