"""CSV for a spreadsheet: check-ins (a row each) and measures (a row per questionnaire, a column per item, total and band).

A zip of `checkins.csv` and `measures.csv`, or the two files in a folder (`-o FOLDER`).
Rows are written as they are read. Cells that a spreadsheet would run as a formula
(starting with =, +, - or @) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from django.utils import timezone

from afterglow.journal.models import CheckIn
from afterglow.measures import instruments, scoring
from afterglow.measures.models import MeasureResponse
from afterglow.reports.formats import EXPORTS, ExportFormat, ExportOptions, Target
from afterglow.reports.progress import Progress

CHECKIN_COLUMNS = ["date", "time", "mood", "anxiety", "sleep_hours", "energy", "pain", "note"]


def safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


class _Rows:
    """A csv writer onto a binary member, flushed every few hundred rows."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.buffer = out, io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def row(self, values: list[Any]) -> None:
        self.writer.writerow([safe(v) for v in values])
        if self.buffer.tell() > 64 * 1024:
            self.flush()

    def flush(self) -> None:
        self.out.write(self.buffer.getvalue().encode("utf-8"))
        self.buffer.seek(0)
        self.buffer.truncate()


def write(target: Target, owner: Any, options: ExportOptions, progress: Progress) -> Iterator[None]:
    with target.member("checkins.csv") as out:
        out.write(b"\xef\xbb\xbf")  # a byte-order mark, so spreadsheets read the file as UTF-8
        rows = _Rows(out)
        rows.row(CHECKIN_COLUMNS)
        for c in CheckIn.objects.filter(owner=owner).order_by("at", "pk").iterator(2000):
            at = timezone.localtime(c.at)
            rows.row([at.date().isoformat(), f"{at:%H:%M}", c.mood, c.anxiety, c.sleep_hours, c.energy, c.pain, c.note])
            progress.tick()
            if progress.count % 1000 == 0:
                rows.flush()
                yield
        rows.flush()
    known = instruments.instruments()
    width = max((len(i.items) for i in known.values()), default=0)
    with target.member("measures.csv") as out:
        out.write(b"\xef\xbb\xbf")
        rows = _Rows(out)
        rows.row(["instrument", "started", "finished", *(f"item_{n}" for n in range(1, width + 1)), "total", "band"])
        for m in MeasureResponse.objects.filter(owner=owner).order_by("started_at", "pk").iterator(2000):
            instrument = known.get(m.instrument)
            answers = m.answer_map()
            result = scoring.score(instrument, answers) if instrument else None
            finished = timezone.localtime(m.finished_at).isoformat(timespec="minutes") if m.finished_at else ""
            rows.row([
                instrument.name if instrument else m.instrument,
                timezone.localtime(m.started_at).isoformat(timespec="minutes"), finished,
                *(answers.get(n) for n in range(1, width + 1)),
                result.total if result else None, result.band.name if result and result.band else None,
            ])  # fmt: skip
            progress.tick()
        rows.flush()
        yield


EXPORTS["csv"] = ExportFormat(
    "csv", "CSV (check-ins and questionnaires)",
    "Two spreadsheet files in a zip: check-ins, one row each; questionnaires, one row each "
    "with every answer, the total and the band.",
    write, private_allowed=False,
)  # fmt: skip
