from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from afterglow.reports.exporting import stream
from afterglow.reports.formats import ExportOptions, exporter


def export_bytes(owner: Any, name: str, include_private: bool = False) -> bytes:
    return b"".join(stream(exporter(name), owner, ExportOptions(include_private=include_private)))


def export_zip(owner: Any, name: str, include_private: bool = False) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(export_bytes(owner, name, include_private)))


def journal_json(owner: Any, include_private: bool = True) -> dict[str, Any]:
    return json.loads(export_zip(owner, "json", include_private).read("afterglow.json"))


def without_ids(doc: dict[str, Any]) -> dict[str, Any]:
    """The export with ids replaced by each row's place in its table, so two journals can be compared."""
    places: dict[str, dict[int, int]] = {}
    tables = {k: v for k, v in doc.items() if isinstance(v, list)}
    for name, rows in tables.items():
        places[name] = {row["id"]: n for n, row in enumerate(rows)}
    refs = {"course": "courses", "session": "sessions", "entry": "entries", "capture": "captures"}
    out: dict[str, Any] = {}
    for name, rows in tables.items():
        clean = []
        for row in rows:
            row = dict(row)
            row["id"] = places[name][row["id"]]
            for ref, into in refs.items():
                if row.get(ref) is not None:
                    row[ref] = places[into][row[ref]]
            clean.append(row)
        out[name] = clean
    return out
