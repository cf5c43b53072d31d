"""Day One: its JSON export, a zip of `Journal.json` (any `*.json` at the top) with `photos/` and `audios/`.

Each entry of `entries[]` has `uuid`, `creationDate` (ISO 8601, UTC), `text`,
`tags`, `starred`, and may list `photos[]` (`md5`, `type`) and `audios[]`
(`md5`, `format`) whose files are `photos/<md5>.<type>` and `audios/<md5>.<format>`.
The zip is read in memory, never unpacked; the JSON a record at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from afterglow.reports.formats import IMPORTS, ImportFormat, ImportResult
from afterglow.reports.formats.incoming import BadEntry, Incoming, add_entries, checked_moment
from afterglow.reports.progress import Progress
from afterglow.reports.safezip import SafeZip
from afterglow.reports.streamjson import top_level

MAX_MEDIA = 200 * 1024 * 1024
MAX_MEDIA_PER_ENTRY = 50


def read(owner: Any, source: IO[bytes], progress: Progress) -> ImportResult:
    archive = SafeZip(source, "Day One export")
    journals = sorted(n for n in archive.names() if n.lower().endswith(".json") and "/" not in n)
    if not journals:
        raise BadEntry("this zip has no journal JSON at its top (such as Journal.json): it is not a Day One export")
    try:
        return add_entries(owner, "dayone", _entries(archive, journals), progress)
    finally:
        archive.close()


def _entries(archive: SafeZip, journals: list[str]) -> Iterator[Incoming]:
    for journal in journals:
        n = 0
        seen = False
        for key, value in top_level(archive.open(journal), journal):
            if key != "entries":
                continue
            seen = True
            n += 1
            yield _entry(archive, value, f"{journal}, entry {n}")
        if not seen:
            raise BadEntry(f'{journal} has no "entries" list: it is not a Day One journal')


def _entry(archive: SafeZip, value: Any, where: str) -> Incoming:
    if not isinstance(value, dict):
        raise BadEntry(f"{where} is not a Day One entry")
    uid, created, text = value.get("uuid"), value.get("creationDate"), value.get("text", "")
    tags, starred = value.get("tags", []), value.get("starred", False)
    if not isinstance(uid, str) or not uid or not isinstance(created, str):
        raise BadEntry(f"{where} has no uuid or creationDate")
    if not isinstance(text, str):
        raise BadEntry(f"{where}: its text is not text")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags) or not isinstance(starred, bool):
        raise BadEntry(f"{where}: its tags or starred mark are not as Day One writes them")
    try:
        moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        raise BadEntry(f"{where}: {created[:30]!r} is not a date and time this journal can hold") from None
    item = Incoming(where, uid, checked_moment(moment, where), text=text, tags=tags, starred=starred)
    item.photos = _media(archive, value.get("photos", []), "photos", "type", where)
    item.audios = _media(archive, value.get("audios", []), "audios", "format", where)
    return item


def _media(archive: SafeZip, listed: Any, folder: str, kind: str, where: str) -> list[bytes]:
    if not isinstance(listed, list) or len(listed) > MAX_MEDIA_PER_ENTRY:
        raise BadEntry(f"{where}: its {folder} list is not as Day One writes it")
    found: list[bytes] = []
    for n, item in enumerate(listed, start=1):
        md5 = item.get("md5") if isinstance(item, dict) else None
        if not isinstance(md5, str) or not md5.isalnum():
            raise BadEntry(f"{where}: {folder} {n} has no md5 name")
        ext = item.get(kind, "")
        name = f"{folder}/{md5}.{ext}" if isinstance(ext, str) and ext else ""
        if name not in archive.members:
            name = next((m for m in archive.members if m.startswith(f"{folder}/{md5}.")), "")
        if not name:
            raise BadEntry(f"{where}: {folder} {n} ({md5[:32]}) is not in the zip")
        found.append(archive.read(name, MAX_MEDIA))
    return found


IMPORTS["dayone"] = ImportFormat(
    "dayone", "Day One", "Day One's JSON export: the zip with Journal.json and its photos and audio.", read
)
