"""The export and import formats, one module each, found by name in two small registries.

An exporter is a generator: it writes into a `Target` and yields now and then, so
the CLI can run it to the end while the web page streams what it wrote so far
(bounded memory either way). An importer reads a path or an uploaded file and
adds to the journal inside one transaction.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from afterglow.lib.errors import UserError
from afterglow.reports.progress import Progress


@dataclass(frozen=True)
class ExportOptions:
    include_private: bool = False


class Target:
    """Where an export's files go: members of a zip, files in a folder, or one single stream."""

    def member(self, name: str) -> contextlib.AbstractContextManager[IO[bytes]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class ZipTarget(Target):
    def __init__(self, out: Any) -> None:
        # `out` may be unseekable (a web response): zipfile then writes data descriptors.
        self.zf = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)

    def member(self, name: str) -> contextlib.AbstractContextManager[IO[bytes]]:
        return self.zf.open(name, "w", force_zip64=True)

    def close(self) -> None:
        self.zf.close()


class FolderTarget(Target):
    """Files written straight into a folder the person named (csv with `-o FOLDER`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextlib.contextmanager
    def member(self, name: str) -> Iterator[IO[bytes]]:
        final = self.folder / name
        partial = final.with_name(final.name + ".partial")
        try:
            with open(partial, "wb") as handle:
                yield handle
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)


class SingleTarget(Target):
    """One file only (fhir): the member is the stream itself."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out

    @contextlib.contextmanager
    def member(self, name: str) -> Iterator[IO[bytes]]:
        yield self.out


Writer = Callable[[Target, Any, ExportOptions, Progress], Iterator[None]]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    about: str
    writer: Writer
    single_file: bool = False  # one JSON file rather than a zip
    private_allowed: bool = True

    @property
    def extension(self) -> str:
        return ".json" if self.single_file else ".zip"

    @property
    def content_type(self) -> str:
        return "application/fhir+json" if self.single_file else "application/zip"


@dataclass(frozen=True)
class ImportResult:
    added: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    notes: tuple[str, ...] = ()  # what else to say: settings taken back, or left out and why

    def words(self) -> str:
        parts = [f"{n:,} {_counted(name, n)}" for name, n in self.added.items() if n]
        added = ", ".join(parts) if parts else "nothing new"
        again = f"; {self.skipped:,} already in your journal" if self.skipped else ""
        return " ".join((f"Imported {added}{again}.", *self.notes))


def _counted(name: str, n: int) -> str:
    name = {"checkins": "check-ins", "measures": "questionnaires"}.get(name, name)
    if n != 1:
        return name
    return name[:-3] + "y" if name.endswith("ies") else name.removesuffix("s")


Reader = Callable[[Any, IO[bytes], Progress], ImportResult]


@dataclass(frozen=True)
class ImportFormat:
    name: str
    label: str
    about: str
    reader: Reader


EXPORTS: dict[str, ExportFormat] = {}
IMPORTS: dict[str, ImportFormat] = {}


def exporter(name: str) -> ExportFormat:
    _load()
    try:
        return EXPORTS[name]
    except KeyError:
        raise UserError(f"there is no export format {name[:40]!r}; choose one of {', '.join(EXPORTS)}") from None


def importer(name: str) -> ImportFormat:
    _load()
    try:
        return IMPORTS[name]
    except KeyError:
        raise UserError(f"there is no import format {name[:40]!r}; choose one of {', '.join(IMPORTS)}") from None


def export_names() -> list[str]:
    _load()
    return list(EXPORTS)


def import_names() -> list[str]:
    _load()
    return list(IMPORTS)


def _load() -> None:
    # Each module registers itself when imported; the order is the order on the pages.
    from afterglow.reports.formats import afterglow_json, csv_export, dayone, fhir, jrnl, markdown  # noqa: F401
