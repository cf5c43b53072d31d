"""Running an export to a file or folder (CLI) or as a stream of bytes (the web page's download)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils import timezone

from afterglow.lib.errors import UserError
from afterglow.reports.formats import ExportFormat, ExportOptions, FolderTarget, SingleTarget, Target, ZipTarget
from afterglow.reports.progress import Progress, quiet


def default_name(fmt: ExportFormat) -> str:
    return f"afterglow-{fmt.name}-{timezone.localdate():%Y-%m-%d}{fmt.extension}"


def check_options(fmt: ExportFormat, options: ExportOptions) -> None:
    if options.include_private and not fmt.private_allowed:
        raise UserError(f"private entries are never part of a {fmt.name} export")


def to_path(fmt: ExportFormat, owner: Any, options: ExportOptions, path: Path, progress: Progress) -> Path:
    """Written beside the final name and moved into place at the end: a failed export leaves nothing behind."""
    check_options(fmt, options)
    if path.is_dir():
        if fmt.name == "csv":
            _run(fmt, FolderTarget(path), owner, options, progress)
            return path
        path = path / default_name(fmt)
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: there is no such folder")
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as out:
            target: Target = SingleTarget(out) if fmt.single_file else ZipTarget(out)
            _run(fmt, target, owner, options, progress)
        os.replace(partial, path)
    except OSError as exc:
        raise UserError(f"{path}: could not be written ({exc.strerror or exc})") from None
    finally:
        partial.unlink(missing_ok=True)
    return path


def _run(fmt: ExportFormat, target: Target, owner: Any, options: ExportOptions, progress: Progress) -> None:
    for _ in fmt.writer(target, owner, options, progress):
        pass
    target.close()
    progress.done()


class _Pipe:
    """A write-only stream the zip writes into; the web response takes what has come so far."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def stream(fmt: ExportFormat, owner: Any, options: ExportOptions) -> Iterator[bytes]:
    check_options(fmt, options)
    pipe = _Pipe()
    target: Target = SingleTarget(pipe) if fmt.single_file else ZipTarget(pipe)  # type: ignore[arg-type]
    for _ in fmt.writer(target, owner, options, quiet()):
        data = pipe.take()
        if data:
            yield data
    target.close()
    yield pipe.take()
