"""jrnl: its JSON export (`jrnl --export json`) and its plain-text journal file.

JSON: `{"tags": {...}, "entries": [{"date": "YYYY-MM-DD", "time": "HH:MM",
"title", "body", "tags": ["@tag"], "starred": bool}]}`, read a record at a time.
Text: each entry starts with a line `[YYYY-MM-DD HH:MM] Title` (seconds and
AM/PM allowed, as jrnl's time format may give), a starred one ends that line
with ` *`, and the body runs to the next such line. Tags are `@words` in the
text; they become `#words` here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from afterglow.reports.formats import IMPORTS, ImportFormat, ImportResult
from afterglow.reports.formats.incoming import MAX_TEXT, BadEntry, Incoming, add_entries, checked_moment, parse_day_time
from afterglow.reports.progress import Progress
from afterglow.reports.streamjson import top_level

HEADER = re.compile(r"^\[(\d{1,4}-\d{1,2}-\d{1,2})[ T](\d{1,2}:\d{2}(?::\d{2})?)(?:\s*([AaPp][Mm]))?\]\s?(.*)$")
TAG = re.compile(r"(?<![\w@])@([\w-]+)")


def read(owner: Any, source: IO[bytes], progress: Progress) -> ImportResult:
    stream: Any = source if hasattr(source, "peek") else io.BufferedReader(source)  # type: ignore[type-var]
    start = stream.peek(64).lstrip()[:1]  # type: ignore[attr-defined]
    items = _from_json(stream) if start == b"{" else _from_text(stream)
    return add_entries(owner, "jrnl", items, progress)


def _from_json(stream: IO[bytes]) -> Iterator[Incoming]:
    n = 0
    seen_entries = False
    for key, value in top_level(stream, "the jrnl file"):
        if key != "entries":
            continue
        seen_entries = True
        n += 1
        where = f"entry {n}"
        if not isinstance(value, dict):
            raise BadEntry(f"{where} is not a jrnl entry")
        day, clock = value.get("date"), value.get("time", "00:00")
        title, body = value.get("title", ""), value.get("body", "")
        tags, starred = value.get("tags", []), value.get("starred", False)
        if not isinstance(day, str) or not isinstance(clock, str):
            raise BadEntry(f"{where} has no date and time as jrnl writes them")
        if not isinstance(title, str) or not isinstance(body, str):
            raise BadEntry(f"{where}: its title and body are not text")
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags) or not isinstance(starred, bool):
            raise BadEntry(f"{where}: its tags or starred mark are not as jrnl writes them")
        moment = parse_day_time(day, clock, where)
        if len(title) + len(body) > MAX_TEXT:
            raise BadEntry(f"{where} is longer than {MAX_TEXT:,} characters; please split it")
        yield Incoming(where, f"{day} {clock}", moment, title=title, text=body.strip("\n"), tags=tags, starred=starred)
    if not seen_entries:
        raise BadEntry('the jrnl file has no "entries" list: it is not a jrnl JSON export')


def _from_text(stream: IO[bytes]) -> Iterator[Incoming]:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline=None)
    current: dict[str, Any] | None = None
    size = 0
    line_no = 0
    try:
        for line_no, line in enumerate(text, start=1):
            match = HEADER.match(line.rstrip("\n"))
            if match:
                if current is not None:
                    yield _finish(current)
                current = _start(match, line_no)
                size = 0
                continue
            if current is None:
                if line.strip():
                    raise BadEntry(f"line {line_no} comes before any entry: a jrnl entry starts with [YYYY-MM-DD HH:MM]")
                continue
            size += len(line)
            if size > MAX_TEXT:
                raise BadEntry(f"the entry of line {current['line']} is longer than {MAX_TEXT:,} characters; please split it")
            current["body"].append(line)
    except UnicodeDecodeError:
        raise BadEntry(f"line {line_no + 1} is not UTF-8 text; is this a jrnl journal file?") from None
    if current is not None:
        yield _finish(current)
    elif line_no == 0:
        raise BadEntry("the file is empty")


def _start(match: re.Match[str], line_no: int) -> dict[str, Any]:
    day, clock, half, title = match.groups()
    where = f"line {line_no}"
    try:
        moment = (
            datetime.strptime(f"{day} {clock} {half}", f"%Y-%m-%d {'%I:%M:%S' if clock.count(':') == 2 else '%I:%M'} %p")
            if half
            else datetime.fromisoformat(f"{day.zfill(10)}T{clock.zfill(5)}")
        )
    except ValueError:
        raise BadEntry(f"{where}: [{day} {clock}] is not a date and time this journal can hold") from None
    starred = title.rstrip().endswith(" *") or title.strip() == "*"
    if starred:
        title = title.rstrip()[:-1].rstrip()
    return {"line": line_no, "moment": checked_moment(moment, where), "title": title, "starred": starred, "body": [],
            "stamp": f"{day} {clock}{half or ''}"}  # fmt: skip


def _finish(current: dict[str, Any]) -> Incoming:
    body = "".join(current["body"]).strip("\n")
    tags = TAG.findall(f"{current['title']}\n{body}")
    return Incoming(
        f"the entry of line {current['line']}", current["stamp"], current["moment"], title=current["title"], text=body,
        tags=list(dict.fromkeys(tags)), starred=current["starred"],
    )  # fmt: skip


IMPORTS["jrnl"] = ImportFormat("jrnl", "jrnl", "jrnl's JSON export (jrnl --export json) or its plain-text journal file.", read)
