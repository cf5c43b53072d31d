"""Afterglow's own format: everything the journal holds, lossless, in a zip with the media.

`afterglow.json` is one object: `format`, `schema_version`, the person's
`preferences` (since schema 2: sections of settings, as in config.toml), then
one array per table in the order rows depend on each other (courses before
sessions, entries before pictures). Each record is written on its own line as it is read, so the
file streams out, and import reads it back with ijson a record at a time.
Records name each other by the `id` they had in the exported journal; import
gives them new ones. Media are files beside the JSON under `media/`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from afterglow.journal import private
from afterglow.journal.models import (
    Capture,
    CheckIn,
    CheckInDraft,
    Course,
    Entry,
    EntryRevision,
    IntegrationAction,
    Intention,
    Session,
)
from afterglow.lib.dates import EARLIEST
from afterglow.lib.errors import UserError
from afterglow.measures.models import MeasureResponse
from afterglow.media.models import Picture, VoiceNote
from afterglow.media.voice import privacy as voice_privacy
from afterglow.moments.models import Star
from afterglow.prompts.models import OwnPrompt
from afterglow.reports import carried_preferences
from afterglow.reports.formats import EXPORTS, IMPORTS, ExportFormat, ExportOptions, ImportFormat, ImportResult, Target
from afterglow.reports.models import ImportRecord
from afterglow.reports.progress import Progress
from afterglow.reports.safezip import SafeZip
from afterglow.reports.streamjson import top_level
from afterglow.safety.models import SafetyPlan
from afterglow.tags import sealed as tag_sealed
from afterglow.tags import store as tag_store
from afterglow.tags.models import Tag

FORMAT = "afterglow-journal"
SCHEMA_VERSION = 2  # 2: the person's preferences; a schema 1 export (without them) still imports
JSON_NAME = "afterglow.json"
MAX_TEXT = 1_000_000  # characters in one text field of one record (a long book chapter is ~100,000)
MAX_IMAGE = 200 * 1024 * 1024
MAX_AUDIO = 200 * 1024 * 1024
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
AUDIO_TYPES = {"audio/wav": "wav", "audio/ogg": "ogg", "audio/webm": "webm", "audio/mpeg": "mp3", "audio/mp4": "m4a",
               "audio/flac": "flac", "application/octet-stream": "bin"}  # fmt: skip


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    refs: dict[str, str] = field(default_factory=dict)  # foreign key -> the table it points into
    skip: tuple[str, ...] = ()  # kept out of the export: working state, not the person's journal
    derived: tuple[str, ...] = ()  # exported to be readable, recomputed on import

    def fields(self) -> list[models.Field[Any, Any]]:
        return [
            f for f in self.model._meta.concrete_fields
            if f.name not in ("id", "owner", *self.refs, *self.skip) and not isinstance(f, models.BinaryField)
        ]  # fmt: skip

    def rows(self, owner: Any) -> models.QuerySet[Any]:
        manager = self.model._default_manager
        if self.model is EntryRevision:
            return manager.filter(entry__owner=owner)
        return manager.filter(owner=owner)


TABLES = [
    Table("courses", Course),
    Table("sessions", Session, {"course": "courses"}, derived=("number",)),
    Table("intentions", Intention, {"session": "sessions"}),
    Table("captures", Capture, {"session": "sessions"}),
    # `sealed`: a clinic's storage of a private entry's words; the export holds the words themselves.
    Table("entries", Entry, {"session": "sessions"}, skip=("sealed",)),
    Table("actions", IntegrationAction, {"entry": "entries", "session": "sessions"}),
    Table("checkins", CheckIn, derived=("day",)),
    # A check-in begun and not yet saved: its note is the person's words too.
    Table("checkin_drafts", CheckInDraft, skip=("ended_form",)),
    Table("measures", MeasureResponse, {"course": "courses"}),
    Table("own_prompts", OwnPrompt),
    Table("safety_plans", SafetyPlan),
    # `sealed`, `caption_sealed`: how a clinic stores a private entry's picture; the export holds it opened.
    Table("pictures", Picture, {"entry": "entries"}, skip=("sealed",)),
    Table("voice_notes", VoiceNote, {"entry": "entries"}, skip=("claimed_by", "heartbeat_at", "task_id", "progress")),
    Table("stars", Star, {"entry": "entries", "capture": "captures"}),
    # Only tags given in the tag field: the #words of a text come back from the text itself.
    Table("tags", Tag, {"entry": "entries", "capture": "captures"}),
]
BY_NAME = {t.name: t for t in TABLES}
REVISION_FIELDS = ("text", "saved_at")


def encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _dump(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True).encode()


def media_name(kind: str, uid: Any, content_type: str) -> str:
    ext = (IMAGE_TYPES if kind != "voice" else AUDIO_TYPES).get(content_type, "bin")
    return f"media/{kind}/{uid}.{ext}"


def write(target: Target, owner: Any, options: ExportOptions, progress: Progress) -> Iterator[None]:
    private_ids: set[int] = set()
    if not options.include_private:
        private_ids = set(Entry.objects.filter(owner=owner, private=True).values_list("pk", flat=True))
    with target.member(JSON_NAME) as out:
        head = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "exported_at": timezone.now().isoformat(),
                "private_included": options.include_private, "preferences": carried_preferences.exported(owner)}  # fmt: skip
        out.write(_dump(head)[:-1] + b",\n")
        for n, table in enumerate(TABLES):
            out.write(json.dumps(table.name).encode() + b": [")
            first = True
            for record in _records(table, owner, private_ids):
                out.write((b"\n" if first else b",\n") + _dump(record))
                first = False
                progress.tick()
                if progress.count % 500 == 0:
                    yield
            out.write(b"\n]" + (b",\n" if n < len(TABLES) - 1 else b"\n}\n"))
            yield
    # The media, after the JSON (a zip writes one member at a time).
    pictures = Picture.objects.with_bytes().filter(owner=owner).exclude(entry_id__in=private_ids)
    for picture in pictures.order_by("pk").iterator(100):
        with target.member(media_name("pictures", picture.uid, picture.content_type)) as out:
            out.write(bytes(picture.image))
        with target.member(f"media/pictures/{picture.uid}-thumb.{IMAGE_TYPES.get(picture.content_type, 'bin')}") as out:
            out.write(bytes(picture.thumb))
        if picture.strokes:
            with target.member(f"media/pictures/{picture.uid}-strokes.json") as out:
                out.write(bytes(picture.strokes))
        yield
    for note in VoiceNote.objects.filter(owner=owner).exclude(entry_id__in=private_ids).order_by("pk").iterator(20):
        # A clinic's private recording is opened for its patient; one their sign-in cannot open stays out.
        recording = voice_privacy.playable(note)
        if recording is not None:
            with target.member(media_name("voice", note.uid, note.content_type)) as out:
                out.write(recording)
        yield


def _records(table: Table, owner: Any, private_ids: set[int]) -> Iterator[dict[str, Any]]:
    rows = table.rows(owner)
    if table.name == "tags":
        rows = rows.filter(from_text=False)
    if table.name in ("entries", "pictures", "voice_notes", "stars", "tags"):
        column = "pk" if table.name == "entries" else "entry_id"
        rows = rows.exclude(**{f"{column}__in": private_ids})
    if table.name in ("pictures", "voice_notes"):
        rows = rows.defer(*(f.name for f in table.model._meta.concrete_fields if isinstance(f, models.BinaryField)))
    revisions = _revisions(owner, private_ids) if table.name == "entries" else None
    pending: tuple[int, dict[str, Any]] | None = None
    for row in rows.order_by("pk").iterator(2000):
        record: dict[str, Any] = {"id": row.pk}
        for f in table.fields():
            record[f.name] = encode(getattr(row, f.attname))
        for ref in table.refs:
            target_id = getattr(row, f"{ref}_id")
            record[ref] = None if target_id in private_ids and BY_NAME[table.refs[ref]].model is Entry else target_id
        if table.name == "pictures":
            record["files"] = {"image": media_name("pictures", row.uid, row.content_type),
                               "thumb": f"media/pictures/{row.uid}-thumb.{IMAGE_TYPES.get(row.content_type, 'bin')}"}  # fmt: skip
            if Picture.objects.with_bytes().filter(pk=row.pk, strokes__isnull=False).exists():
                record["files"]["strokes"] = f"media/pictures/{row.uid}-strokes.json"
        if table.name == "voice_notes":
            record["files"] = {"audio": media_name("voice", row.uid, row.content_type)}
        if revisions is not None:
            kept: list[dict[str, Any]] = []
            while True:
                if pending is None:
                    pending = next(revisions, None)
                if pending is None or pending[0] > row.pk:
                    break
                if pending[0] == row.pk:
                    kept.append(pending[1])
                pending = None
            record["revisions"] = kept
        yield record
    if table.name == "tags":
        yield from _sealed_tag_records(owner, private_ids)


def _sealed_tag_records(owner: Any, private_ids: set[int]) -> Iterator[dict[str, Any]]:
    """A clinic's private entries keep their field tags sealed, not as rows: the patient's export opens them.

    They get ids after the rows' (ids only tie records together within one file).
    """
    next_id = (Tag.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    for entry_id, names in sorted(tag_store.sealed_field_tags(getattr(owner, "pk", owner)).items()):
        if entry_id in private_ids:
            continue
        for name in names:
            yield {"id": next_id, "name": name, "from_text": False, "entry": entry_id, "capture": None}
            next_id += 1


def _revisions(owner: Any, private_ids: set[int]) -> Iterator[tuple[int, dict[str, Any]]]:
    # `entry_id IN (the owner's entries)` rather than a join: SQLite then walks the revisions in
    # entry order on their index and sorts only each entry's few by time. The join made it sort
    # every revision, text and all, in memory (temp_store = MEMORY) before the first came out.
    mine = Entry.objects.filter(owner=owner).values("pk")
    rows = EntryRevision.objects.filter(entry_id__in=mine).exclude(entry_id__in=private_ids)
    ordered = rows.order_by("entry_id", "saved_at", "pk").values_list("entry_id", *REVISION_FIELDS, "sealed")
    for entry_id, text, saved_at, sealed in ordered.iterator(2000):
        yield entry_id, {"text": private.open_revision_text(entry_id, text, sealed), "saved_at": encode(saved_at)}


# ---- import -------------------------------------------------------------------------------------


class BadRecord(UserError):
    pass


def read(owner: Any, source: IO[bytes], progress: Progress) -> ImportResult:
    archive = SafeZip(source, "Afterglow export")
    if JSON_NAME not in archive.members:
        raise UserError(f"this zip has no {JSON_NAME}: it is not an Afterglow export")
    loader = _Loader(owner, archive, progress)
    with transaction.atomic():
        for key, value in top_level(archive.open(JSON_NAME), JSON_NAME):
            loader.take(key, value)
        loader.finish()
    archive.close()
    # After the rows are in: a file that stops half-way changes no setting (local mode's config.toml is no transaction).
    notes = carried_preferences.take(owner, loader.preferences) if loader.preferences_seen else []
    return ImportResult(added={k: v for k, v in loader.added.items()}, skipped=loader.skipped, notes=tuple(notes))


class _Loader:
    def __init__(self, owner: Any, archive: SafeZip, progress: Progress) -> None:
        self.owner, self.archive, self.progress = owner, archive, progress
        self.ids: dict[str, dict[int, int]] = {t.name: {} for t in TABLES}
        self.added: dict[str, int] = {t.name.replace("_", " "): 0 for t in TABLES}
        self.skipped = 0
        self.counts: dict[str, int] = {}
        self.version: int | None = None
        # A clinic's private entries (entry id → the entry, its field tags so far): their tags go
        # into their seal, never into rows.
        self.sealed: dict[int, tuple[Entry, list[str]] | None] = {}
        self.format: str | None = None
        self.preferences: object = None
        self.preferences_seen = False
        # Rows already in the journal: an import only matches against these, never against its own rows.
        self.before = {t.name: t.rows(owner).aggregate(m=Max("pk"))["m"] or 0 for t in TABLES}

    def take(self, key: str, value: Any) -> None:
        if key == "format":
            if value != FORMAT:
                raise UserError(f"{JSON_NAME} is not an Afterglow export (its format is {str(value)[:40]!r})")
            self.format = value
            return
        if key == "schema_version":
            if not isinstance(value, int) or isinstance(value, bool):
                raise UserError(f"{JSON_NAME}: schema_version is not a number")
            if value > SCHEMA_VERSION:
                raise UserError(f"this export was made by a newer Afterglow (schema {value}); please update Afterglow first")
            self.version = value
            return
        if key in ("exported_at", "private_included"):
            return
        if key == "preferences":  # before schema_version in the file (its keys are sorted)
            # An array comes item by item: whatever it holds, it is not settings Afterglow reads.
            self.preferences = value if not self.preferences_seen else None
            self.preferences_seen = True
            return
        if self.format is None or self.version is None:
            raise UserError(f"{JSON_NAME} does not start with its format and schema_version: it is not an Afterglow export")
        table = BY_NAME.get(key)
        if table is None:
            raise UserError(f"{JSON_NAME} has a part named {key[:40]!r} that Afterglow does not know")
        self.counts[key] = self.counts.get(key, 0) + 1
        where = f"{key} record {self.counts[key]}"
        if not isinstance(value, dict):
            raise BadRecord(f"{JSON_NAME}: {where} is not an object")
        self._row(table, value, where)
        self.progress.tick()

    def finish(self) -> None:
        if self.format is None:
            raise UserError(f"{JSON_NAME} is not an Afterglow export")

    def _row(self, table: Table, record: dict[str, Any], where: str) -> None:
        fields = {f.name: f for f in table.fields()}
        allowed = {"id", *fields, *table.refs}
        if table.name == "entries":
            allowed.add("revisions")
        if table.name in ("pictures", "voice_notes"):
            allowed.add("files")
        unknown = sorted(set(record) - allowed)
        if unknown:
            raise BadRecord(f"{JSON_NAME}: {where} has a field Afterglow does not know: {unknown[0][:40]!r}")
        old_id = record.get("id")
        if not isinstance(old_id, int) or isinstance(old_id, bool):
            raise BadRecord(f"{JSON_NAME}: {where} has no whole-number id")
        values: dict[str, Any] = {}
        for name, value in record.items():
            f = fields.get(name)
            if f is None or name in table.derived:
                continue
            values[f.attname] = _value(f, value, f"{where}, {name}")
        for ref, into in table.refs.items():
            target = record.get(ref)
            if target is None:
                values[f"{ref}_id"] = None
                continue
            if not isinstance(target, int) or target not in self.ids[into]:
                raise BadRecord(f"{JSON_NAME}: {where} refers to {into} id {str(target)[:20]}, which is not earlier in the file")
            values[f"{ref}_id"] = self.ids[into][target]
        if table.name == "tags" and values.get("entry_id") is not None and self._into_seal(values, old_id, where):
            return
        obj: Any = table.model(owner=self.owner, **values)
        try:
            obj.clean_fields(exclude=["owner", *table.refs, *table.derived])
        except ValidationError as exc:
            name, problems = next(iter(exc.message_dict.items()))
            raise BadRecord(f"{JSON_NAME}: {where}, {name}: {' '.join(problems)}") from None
        existing = self._existing(table, obj, values)
        if existing is not None:
            self.ids[table.name][old_id] = existing
            self.skipped += 1
            return
        self._attach_files(table, obj, record, where)
        original_uid = str(getattr(obj, "uid", ""))
        if original_uid and table.model._default_manager.filter(uid=obj.uid).exists():
            obj.uid = uuid.uuid4()  # another person's journal holds this uid (clinic mode); the import record keeps the link
        obj.save()
        auto_now = {
            f.attname: values[f.attname] for f in fields.values() if getattr(f, "auto_now", False) and f.attname in values
        }
        if auto_now:
            table.model._default_manager.filter(pk=obj.pk).update(**auto_now)
        if table.name == "entries":
            self._revisions(obj, record.get("revisions", []), where)
            self.sealed[obj.pk] = (obj, []) if tag_store.in_seal(obj) else None
        if original_uid:
            ImportRecord.objects.create(
                owner=self.owner, source="json", key=_key("json", table.name, original_uid), kind=table.name, object_id=obj.pk,
                entry=obj if table.name == "entries" else None,
            )  # fmt: skip
        self.ids[table.name][old_id] = obj.pk
        self.added[table.name.replace("_", " ")] += 1

    def _into_seal(self, values: dict[str, Any], old_id: int, where: str) -> bool:
        """A tag of an entry whose tags are sealed: added to its seal (True), or not such an entry (False)."""
        entry_id = values["entry_id"]
        if not private.applies():
            return False
        if entry_id not in self.sealed:
            found = Entry.objects.filter(pk=entry_id, owner=self.owner).first()
            given = tag_sealed.of(found) if found is not None and tag_store.in_seal(found) else None
            if found is not None and tag_store.in_seal(found) and (found.locked or given is None):
                raise private.Locked()
            self.sealed[entry_id] = (found, given) if found is not None and given is not None else None
        held = self.sealed[entry_id]
        if held is None:
            return False
        entry, names = held
        try:
            name = tag_store.clean_name(str(values.get("name", "")))
        except tag_store.TagError as exc:
            raise BadRecord(f"{JSON_NAME}: {where}, name: {exc}") from None
        self.ids["tags"][old_id] = 0  # nothing refers to a tag
        if name in names:
            self.skipped += 1
            return True
        names.append(name)
        tag_store.set_tags(entry, names)
        self.added["tags"] += 1
        return True

    def _existing(self, table: Table, obj: Any, values: dict[str, Any]) -> int | None:
        manager = table.model._default_manager
        if hasattr(obj, "uid"):
            known = ImportRecord.objects.filter(owner=self.owner, key=_key("json", table.name, str(obj.uid))).first()
            if known is not None and known.object_id and manager.filter(pk=known.object_id, owner=self.owner).exists():
                return known.object_id
            mine = manager.filter(uid=obj.uid, owner=self.owner).values_list("pk", flat=True).first()
            if mine is not None:
                return int(mine)
            return None
        if table.model in (SafetyPlan, CheckInDraft):  # one per person: the journal's own one stays
            return manager.filter(owner=self.owner).values_list("pk", flat=True).first()
        if table.model is Capture and obj.session_id:
            return manager.filter(session_id=obj.session_id).values_list("pk", flat=True).first()
        if not self.before[table.name]:
            return None
        by_column = {f.attname: f for f in table.model._meta.concrete_fields}
        simple = {
            k: v for k, v in values.items()
            if not isinstance(by_column[k], models.JSONField) and not getattr(by_column[k], "auto_now", False)
        }  # fmt: skip
        found = manager.filter(owner=self.owner, pk__lte=self.before[table.name], **simple).values_list("pk", flat=True).first()
        return None if found is None else int(found)

    def _revisions(self, entry: Entry, revisions: Any, where: str) -> None:
        if not isinstance(revisions, list):
            raise BadRecord(f"{JSON_NAME}: {where}, revisions is not a list")
        saved_at = EntryRevision._meta.get_field("saved_at")
        text = EntryRevision._meta.get_field("text")
        for n, revision in enumerate(revisions, start=1):
            if not isinstance(revision, dict) or set(revision) - set(REVISION_FIELDS):
                raise BadRecord(f"{JSON_NAME}: {where}, revision {n} is not a text and a time")
            EntryRevision.objects.create(
                entry=entry, text=_value(text, revision.get("text", ""), f"{where}, revision {n}"),
                saved_at=_value(saved_at, revision.get("saved_at"), f"{where}, revision {n}"),
            )  # fmt: skip

    def _attach_files(self, table: Table, obj: Any, record: dict[str, Any], where: str) -> None:
        if table.name not in ("pictures", "voice_notes"):
            return
        files = record.get("files")
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            raise BadRecord(f"{JSON_NAME}: {where} does not name its files")
        if table.name == "voice_notes":
            if obj.content_type not in AUDIO_TYPES:
                raise BadRecord(f"{JSON_NAME}: {where} is not a recording Afterglow can play ({obj.content_type[:40]})")
            obj.audio = self.archive.read(files.get("audio", ""), MAX_AUDIO)
            obj.size = len(obj.audio)
            return
        from afterglow.media.visual.photos import PhotoError, open_checked

        if obj.content_type not in IMAGE_TYPES:
            raise BadRecord(f"{JSON_NAME}: {where} is not a picture Afterglow can show ({obj.content_type[:40]})")
        obj.image = self.archive.read(files.get("image", ""), MAX_IMAGE)
        obj.thumb = self.archive.read(files.get("thumb", ""), MAX_IMAGE)
        for blob in (obj.image, obj.thumb):
            try:
                open_checked(blob)
            except PhotoError:
                raise BadRecord(f"{JSON_NAME}: {where}: its picture file is not a picture") from None
        if "strokes" in files:
            obj.strokes = self.archive.read(files["strokes"], MAX_IMAGE)


def _value(f: models.Field[Any, Any], value: Any, where: str) -> Any:
    if isinstance(f, models.CharField | models.TextField):
        if value is None and f.null:
            return None
        if not isinstance(value, str):
            raise BadRecord(f"{JSON_NAME}: {where} is not text")
        if len(value) > MAX_TEXT:
            raise BadRecord(f"{JSON_NAME}: {where} is longer than {MAX_TEXT:,} characters")
    if isinstance(f, models.IntegerField | models.FloatField | models.DecimalField) and isinstance(value, bool):
        raise BadRecord(f"{JSON_NAME}: {where} is not a number")
    if isinstance(f, models.BooleanField) and value is not None and not isinstance(value, bool):
        raise BadRecord(f"{JSON_NAME}: {where} is not true or false")
    if isinstance(f, models.JSONField):
        if len(json.dumps(value)) > MAX_TEXT:
            raise BadRecord(f"{JSON_NAME}: {where} is too large")
        return value
    try:
        python = f.to_python(value)
    except ValidationError as exc:
        raise BadRecord(f"{JSON_NAME}: {where}: {' '.join(exc.messages)}") from None
    except (TypeError, ValueError, OverflowError):
        raise BadRecord(f"{JSON_NAME}: {where} is not a valid value") from None
    if isinstance(f, models.DateTimeField) and isinstance(python, datetime):
        if timezone.is_naive(python):
            python = timezone.make_aware(python)
        if python.date() < EARLIEST:
            raise BadRecord(f"{JSON_NAME}: {where}: {python.date()} is before {EARLIEST.year}; please check the year")
    elif isinstance(f, models.DateField) and isinstance(python, date) and python < EARLIEST:
        raise BadRecord(f"{JSON_NAME}: {where}: {python} is before {EARLIEST.year}; please check the year")
    return python


def _key(source: str, *parts: str) -> str:
    digest = hashlib.sha256()
    for part in (source, *parts):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


EXPORTS["json"] = ExportFormat(
    "json", "Afterglow JSON (everything, with media)",
    "A zip holding the whole journal and your settings as JSON, and its pictures and recordings as files. "
    "Afterglow can import it again.",
    write,
)  # fmt: skip
IMPORTS["json"] = ImportFormat(
    "json", "An Afterglow export",
    "A zip made by Export → Afterglow JSON, from this or another Afterglow. Its settings come back too.", read,
)  # fmt: skip
