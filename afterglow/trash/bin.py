"""Putting things in the Trash, taking them out again, and purging them for good."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.core import serializers
from django.db import IntegrityError, connection, models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from afterglow.journal import private
from afterglow.journal.models import CheckIn, Course, Entry, Session, renumber_sessions
from afterglow.lib.errors import UserError
from afterglow.trash.models import TrashItem

KEEP_DAYS = 30
# What else happens as something goes into the Trash: in a clinic, its erasing is queued for the
# day it falls due (afterglow/trash/tasks.py, registered by the app's ready()).
after_put: list[Callable[[TrashItem], None]] = []
log = logging.getLogger("afterglow.trash")


class CannotRestore(UserError):
    """Restoring would clash with something made since; the message is for the person."""

    status = 409


class _KeepEverything(Collector):
    # Django deletes some related rows in bulk without loading them ("fast deletes");
    # every row that goes must be loaded here, so it can be written into the Trash.
    def can_fast_delete(self, *args: Any, **kwargs: Any) -> bool:
        return False


def label_for(obj: models.Model) -> tuple[str, str]:
    """(kind, label) in the person's words; the label is shown on the Trash page."""
    when = "%-d %B %Y"
    if isinstance(obj, Entry):
        kind = {"voice": "voice note", "drawing": "drawing", "image": "photo"}.get(obj.mode, "entry")
        # A private entry's label names no words in a clinic: the label is stored in the clear.
        shown = obj.prompt_text if private.applies() and obj.private else (obj.title or obj.text or obj.prompt_text)
        words = shown.strip().replace("\n", " ")
        text = f"{words[:80]}…" if len(words) > 80 else words
        return kind, f"{kind.capitalize()} of {timezone.localtime(obj.created_at):{when}}" + (f": {text}" if text else "")
    if isinstance(obj, CheckIn):
        return "check-in", f"Check-in of {timezone.localtime(obj.at):%-d %B %Y, %H:%M} (mood {obj.mood}/10)"
    if isinstance(obj, Session):
        return "session", f"Session {obj.number} of {timezone.localtime(obj.started_at):{when}}, with what belongs to it"
    if isinstance(obj, Course):
        return "course", f"{obj}, with its sessions and what belongs to them"
    name = obj._meta.verbose_name
    if obj._meta.label == "media.Picture":
        name = obj.get_kind_display().lower()  # type: ignore[attr-defined]
    elif obj._meta.label == "media.VoiceNote":
        name = "recording"
    elif obj._meta.label == "journal.Capture":
        name = "quick capture"
    created = getattr(obj, "created_at", None)
    return str(name), f"{str(name).capitalize()}" + (f" of {timezone.localtime(created):{when}}" if created else "")


def attached(obj: models.Model) -> list[models.Model]:
    """Rows that belong with `obj` though the database would only unlink them (SET NULL)."""
    if isinstance(obj, Session):
        return list(Entry.objects.filter(session=obj))
    if isinstance(obj, Course):
        return list(Entry.objects.filter(session__course=obj))
    return []


@transaction.atomic
def put(obj: models.Model, *, now: datetime | None = None) -> TrashItem:
    """Move `obj` and everything attached to it into the Trash (really deleting the rows)."""
    now = now or timezone.now()
    kind, label = label_for(obj)
    collector = _KeepEverything(using=connection.alias, origin=obj)
    collector.collect([obj])
    for extra in attached(obj):
        collector.collect([extra])
    # A private entry's words go into the Trash as they are stored: sealed (clinic mode).
    rows: list[models.Model] = [private.stored_form(row) for instances in collector.data.values() for row in instances]
    relinks: list[list[Any]] = []
    for (field, _value), batches in collector.field_updates.items():
        for batch in batches:
            # What SET NULL would empty: (row, the id it pointed at), to point it back on restore.
            pairs: list[tuple[Any, Any]] = (
                list(batch.values_list("pk", field.attname))
                if isinstance(batch, models.QuerySet)
                else [(row.pk, getattr(row, field.attname)) for row in batch]  # type: ignore[attr-defined]
            )
            relinks.extend([field.model._meta.label, field.attname, pk, target] for pk, target in pairs if target is not None)
    payload = {
        "root": [obj._meta.label, obj.pk],
        "objects": json.loads(serializers.serialize("json", rows)),
        "relinks": relinks,
    }
    item = TrashItem.objects.create(
        owner_id=obj.owner_id,  # type: ignore[attr-defined]
        kind=kind,
        label=label[:200],
        root=root_of(obj),
        payload=json.dumps(payload),
        deleted_at=now,
        purge_after=now + timedelta(days=KEEP_DAYS),
    )
    collector.delete()
    for then in after_put:
        then(item)
    return item


def root_of(obj: models.Model) -> str:
    return f"{obj._meta.label}:{obj.pk}"


def in_trash(owner: Any, model: type[models.Model], pk: int) -> TrashItem | None:
    """The Trash item holding this thing, if the person deleted it already (a second delete is no error)."""
    return TrashItem.objects.filter(owner=owner, root=f"{model._meta.label}:{pk}", restored_at=None).first()


def restore(item: TrashItem) -> models.Model | None:
    """Write the rows back with their ids; returns the thing that was deleted. Raises CannotRestore.

    Restoring twice is no error: the second time returns what came back the first time.
    """
    if item.restored_at is not None:
        label, _, pk = item.root.partition(":")
        return apps.get_model(label)._default_manager.filter(pk=pk).first()
    try:
        with transaction.atomic():
            return _restore(item)
    except IntegrityError as error:
        raise CannotRestore(
            "This cannot come back as it was: something made since takes its place "
            "(for example a new quick capture for the same session)."
        ) from error


def _restore(item: TrashItem) -> models.Model | None:
    payload = json.loads(item.payload)
    restored = list(serializers.deserialize("json", json.dumps(payload["objects"]), handle_forward_references=True))
    coming_back = {(d.object._meta.label, d.object.pk) for d in restored}
    courses: set[int] = set()
    for d in restored:
        _unlink_missing(d.object, coming_back)
        if isinstance(d.object, Session):
            # Out of the way of the numbers in use; renumbered by date below.
            d.object.number = 1_000_000 + d.object.pk
            courses.add(d.object.course_id)
    for d in restored:
        d.save()
    for label, attname, pk, target in payload["relinks"]:
        model = apps.get_model(label)
        field = next(f for f in model._meta.concrete_fields if f.attname == attname)
        if field.related_model._default_manager.filter(pk=target).exists():
            model._default_manager.filter(pk=pk).update(**{attname: target})
    for course_id in courses:
        renumber_sessions(Session, course_id)
    item.payload, item.restored_at = "", timezone.now()
    item.save(update_fields=["payload", "restored_at"])
    root_label, root_pk = payload["root"]
    return apps.get_model(root_label)._default_manager.filter(pk=root_pk).first()


def _unlink_missing(obj: models.Model, coming_back: set[tuple[str, Any]]) -> None:
    """A link to something that is gone (deleted since) becomes empty where it may; else restore fails kindly."""
    for field in obj._meta.concrete_fields:
        if not field.is_relation or field.related_model is None:
            continue
        target = getattr(obj, field.attname)
        if target is None or (field.related_model._meta.label, target) in coming_back:
            continue
        if field.related_model._default_manager.filter(pk=target).exists():
            continue
        if field.null:
            setattr(obj, field.attname, None)
        else:
            what = field.related_model._meta.verbose_name
            raise CannotRestore(f"This belonged to a {what} that is in the Trash or gone; restore that first.")


def waiting(owner: Any) -> list[TrashItem]:
    """What is in the person's Trash now, newest first (without the payloads)."""
    return list(TrashItem.objects.filter(owner=owner, restored_at=None).defer("payload"))


@dataclass(frozen=True)
class Purged:
    items: int


def purge(*, owner: Any = None, everything: bool = False, now: datetime | None = None) -> Purged:
    """Delete for good what has been in the Trash 30 days (or all of it), then scrub the file."""
    rows = TrashItem.objects.all()
    if owner is not None:
        rows = rows.filter(owner=owner)
    if not everything:
        # Rows already restored hold nothing but their label; they go at any purge.
        rows = rows.filter(models.Q(purge_after__lte=now or timezone.now()) | models.Q(restored_at__isnull=False))
    with transaction.atomic():
        count, _ = rows.delete()
    if count:
        scrub()
    return Purged(count)


def scrub() -> None:
    """Leave no trace of purged rows in the file.

    `secure_delete` (set on every connection) zeroes the bytes a delete frees. A
    full-text index records a deletion as a marker beside the old tokens until its
    segments merge, so each FTS5 index is merged now ('optimize'); then the
    write-ahead log is folded into the database and emptied, so no older copy of a
    page stays in it.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'")
        for (name,) in cur.fetchall():
            cur.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'optimize\')')
    if not connection.in_atomic_block:
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def purge_old() -> None:
    """Erase what has waited 30 days in the Trash: `serve`'s background thread runs it at start, then daily."""
    done = purge()
    if done.items:
        log.info("trash purged: %d item(s) older than 30 days", done.items)
