"""Reading a zip someone hands us without trusting it.

Nothing is ever extracted to disk: members are read into memory (small files)
or as streams, by name, so a name like `../../x` can do no harm; such names are
refused anyway, as a sign the file was not made by the program it claims. The
sizes the zip declares are checked first (total and ratio), and every read is
counted too, because a zip can lie about them.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

from afterglow.lib.errors import UserError

MAX_TOTAL = 4 * 1024 * 1024 * 1024  # 4 GB uncompressed in all
MAX_MEMBER = 1024 * 1024 * 1024  # 1 GB for any one member (the journal JSON of a very long journal)
MAX_RATIO = 200  # deflate manages ~1000:1 only on data made to be a bomb; text and media stay far below 200
MAX_MEMBERS = 500_000


class ZipRefused(UserError):
    pass


class CountedReader(io.RawIOBase):
    """A member stream that refuses to give more than `limit` bytes, whatever the header said."""

    def __init__(self, stream: IO[bytes], limit: int, name: str) -> None:
        self.stream, self.limit, self.name, self.seen = stream, limit, name, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.stream.read(len(buffer))
        self.seen += len(data)
        if self.seen > self.limit:
            raise ZipRefused(f"{self.name} in the zip unpacks to more than it claims; the file looks damaged or made to harm")
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.seen += len(data)
        if self.seen > self.limit:
            raise ZipRefused(f"{self.name} in the zip unpacks to more than it claims; the file looks damaged or made to harm")
        return data


class SafeZip:
    def __init__(self, source: IO[bytes] | str, what: str = "file") -> None:
        try:
            self.zf = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise ZipRefused(f"this {what} is not a zip file") from None
        infos = self.zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ZipRefused(f"the zip holds more than {MAX_MEMBERS:,} files")
        total = 0
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or ":" in name:
                raise ZipRefused(f"the zip holds a file named {name[:80]!r}, outside its own folder; it was not imported")
            if info.flag_bits & 0x1:
                raise ZipRefused("the zip is password-protected; please export it again without a password")
            if info.file_size > MAX_MEMBER:
                raise ZipRefused(f"{name[:80]} in the zip is larger than {MAX_MEMBER // 2**20:,} MB")
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ZipRefused(f"{name[:80]} in the zip unpacks to over {MAX_RATIO} times its size; it looks made to harm")
            total += info.file_size
            if total > MAX_TOTAL:
                raise ZipRefused(f"the zip unpacks to more than {MAX_TOTAL // 2**30} GB")
            if not name.endswith("/"):
                self.members[name] = info

    def names(self) -> list[str]:
        return list(self.members)

    def open(self, name: str) -> CountedReader:
        info = self.members.get(name)
        if info is None:
            raise ZipRefused(f"the zip has no {name[:80]}")
        return CountedReader(self.zf.open(info), info.file_size, name[:80])

    def read(self, name: str, limit: int) -> bytes:
        info = self.members.get(name)
        if info is None:
            raise ZipRefused(f"the zip has no {name[:80]}")
        if info.file_size > limit:
            raise ZipRefused(f"{name[:80]} in the zip is larger than {limit // 2**20:,} MB")
        with self.open(name) as stream:
            return stream.read()

    def close(self) -> None:
        self.zf.close()
