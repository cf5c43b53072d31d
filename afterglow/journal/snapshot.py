"""A complete JSON snapshot of one person's journal (used to prove a restore lost nothing).

Every journal table, rows in primary-key order, through Django's serializer so
new fields are included without touching this file.
"""

from __future__ import annotations

import json
from typing import Any

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder

from afterglow.journal import models as journal


def export_json(owner: Any) -> str:
    tables = {
        "courses": journal.Course.objects.filter(owner=owner),
        "sessions": journal.Session.objects.filter(owner=owner),
        "intentions": journal.Intention.objects.filter(owner=owner),
        "captures": journal.Capture.objects.filter(owner=owner),
        "entries": journal.Entry.objects.filter(owner=owner),
        "revisions": journal.EntryRevision.objects.filter(entry__owner=owner),
        "actions": journal.IntegrationAction.objects.filter(owner=owner),
        "checkins": journal.CheckIn.objects.filter(owner=owner),
    }
    doc = {name: serializers.serialize("python", qs.order_by("pk")) for name, qs in tables.items()}
    return json.dumps(doc, cls=DjangoJSONEncoder, indent=1, sort_keys=True)
