"""A clinic's private entries: their tags leave the `Tag` table, the field's ones into a seal.

Before this, a private entry's words were sealed but the tags given in its tag field stayed as
plain rows. Here each such list is sealed to its patient's public key (no secret is needed) and
every `Tag` row of a private entry is deleted (its #words are inside its sealed text already).
A patient with no key yet keeps their rows until the next sign-in, which seals their private
entries and these with them. The tags an import kept in its record beside a private entry go
too. Local mode (SQLite, one encrypted file) is left as it is.
"""

from typing import Any

from django.db import migrations


def seal_tags(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    from afterglow.journal.private import Locked
    from afterglow.tags import sealed

    Tag = apps.get_model("tags", "Tag")
    SealedTags = apps.get_model("tags", "SealedTags")
    Entry = apps.get_model("journal", "Entry")
    keyed = apps.get_model("journal", "PrivateKeyring").objects.exclude(public_key="").values("owner_id")
    rows = Tag.objects.filter(entry__private=True, entry__owner_id__in=keyed, from_text=False)
    names: dict[int, list[str]] = {}
    for entry_id, name in rows.order_by("entry_id", "id").values_list("entry_id", "name"):
        names.setdefault(entry_id, []).append(name)
    for entry in Entry.objects.filter(pk__in=names).only("id", "uid", "owner_id"):
        try:
            body = sealed.seal_body(entry.owner_id, entry.uid, names[entry.pk])
        except Locked:
            continue
        SealedTags.objects.update_or_create(entry_id=entry.pk, defaults={"owner_id": entry.owner_id, "sealed": body})
    Tag.objects.filter(entry__private=True, entry__owner_id__in=keyed).delete()


def forget_source_tags(apps: Any, schema_editor: Any) -> None:
    # The tags a jrnl or Day One import brought are kept in its record too; for an entry since
    # marked private they are in its sealed text as #words, and must not stay here in the clear
    # (from now on `reports.models.forget_source_tags` drops them as the entry is marked).
    if schema_editor.connection.vendor != "postgresql":
        return
    ImportRecord = apps.get_model("reports", "ImportRecord")
    ImportRecord.objects.filter(entry__private=True).exclude(tags=[]).update(tags=[])


class Migration(migrations.Migration):
    dependencies = [("tags", "0002_p19tags_sealed_tags"), ("reports", "0001_import_records")]

    operations = [
        migrations.RunPython(seal_tags, migrations.RunPython.noop),
        migrations.RunPython(forget_source_tags, migrations.RunPython.noop),
    ]
