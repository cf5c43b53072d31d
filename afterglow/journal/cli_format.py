"""Text in and out for the journal's CLI verbs.

Output is plain lines with columns aligned by spaces, one record a line, so it
reads well in a terminal and pipes into grep/cut/awk. Colour (bold matches)
only on a terminal, and never with NO_COLOR set. `--json` output has the same
keys in the same order every time.

Input parsers raise `UserError` with a message meant for a person.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import IO, Any, Protocol

from django.utils import timezone

from afterglow.journal.courses import NoSuchSession, session_by_number
from afterglow.journal.models import Session
from afterglow.lib import dates
from afterglow.lib.errors import UserError


class TextOut(Protocol):
    """Where CLI lines go: a text file or Django's OutputWrapper around one."""

    def write(self, text: str) -> Any: ...


BOLD = ("\x1b[1m", "\x1b[22m")
ELLIPSIS = "…"
PIPE_WIDTH = 100  # how much of an entry a piped `list` line shows


# --- output ------------------------------------------------------------------------


def wants_colour(stream: TextOut) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def line_width(stream: TextOut) -> int:
    """The terminal's width, or a fixed width when piped so output does not depend on where it goes."""
    isatty = getattr(stream, "isatty", None)
    if isatty and isatty():
        # A verb answered by `serve` for the thin client writes to a stream that carries the client's width.
        columns = getattr(stream, "columns", None)
        return max(40, columns if isinstance(columns, int) else shutil.get_terminal_size((PIPE_WIDTH, 24)).columns)
    return PIPE_WIDTH


def one_line(text: str, width: int | None = None) -> str:
    """Collapse whitespace (newlines too) and cut to `width` characters with an ellipsis."""
    flat = " ".join(text.split())
    if width is not None and len(flat) > width:
        return flat[: max(0, width - 1)].rstrip() + ELLIPSIS
    return flat


def visible_len(text: str) -> int:
    return len(re.sub(r"\x1b\[[0-9;]*m", "", text))


def aligned(rows: Sequence[Sequence[str]], gap: str = "  ") -> list[str]:
    """Columns padded to their widest cell; the last column is left as it is."""
    if not rows:
        return []
    widths = [max(visible_len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - visible_len(cell)) for i, cell in enumerate(row[:-1])]
        lines.append(gap.join([*cells, row[-1]]).rstrip())
    return lines


def local_stamp(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def iso(moment: datetime | date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat()


def session_label(number: int | None) -> str:
    return f"s{number}" if number else "-"


def dump_json(value: Any) -> str:
    # Non-ASCII stays readable (journal text is rarely English-only); keys keep insertion order.
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def write_lines(stream: TextOut, lines: Iterable[str]) -> None:
    for line in lines:
        stream.write(line + "\n")


# --- input -------------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def parse_day(text: str, what: str = "--date", *, lived: bool = False) -> date:
    """A YYYY-MM-DD day within the journal's range: lived days up to today, planned ones a year or so ahead."""
    text = text.strip()
    if not _DAY.fullmatch(text):
        raise UserError(f"{what} should look like 2025-03-14 (year-month-day), not {text!r}")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{what} {text} is not a day on the calendar") from None
    rule = dates.check_lived if lived else dates.check_planned
    try:
        return rule(day, timezone.localdate())
    except dates.DayOutOfRange as exc:
        raise UserError(f"{what} {text}: {exc}") from None


def parse_clock(text: str, what: str = "--time") -> time:
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        raise UserError(f"{what} should look like 14:30 (24-hour clock), not {text!r}")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise UserError(f"{what} {text} is not a time of day (00:00 to 23:59)")
    return time(hour, minute)


def parse_whole(text: str | None, low: int, high: int, what: str) -> int | None:
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise UserError(f"{what} is a whole number from {low} to {high}, not {text!r}") from None
    if not low <= value <= high:
        raise UserError(f"{what} goes from {low} to {high}; {value} is outside that")
    return value


def parse_hours(text: str | None, what: str = "--sleep") -> Decimal | None:
    if text is None:
        return None
    cleaned = text.strip().lower().removesuffix("h").replace(",", ".").strip()
    try:
        hours = Decimal(cleaned)
    except InvalidOperation:
        raise UserError(f"{what} is a number of hours, like 7 or 6.5, not {text!r}") from None
    if not hours.is_finite() or not 0 <= hours <= 24:
        raise UserError(f"{what} is a number of hours from 0 to 24")
    return hours.quantize(Decimal("0.1"))


def utf8_argument(text: str, what: str) -> str:
    """Arguments that were not valid UTF-8 reach Python as lone surrogates; refuse them here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(f"{what} is not valid UTF-8 text") from None
    return text


ARGV_IS_VISIBLE = "text typed on the command line is visible to other users of this computer and kept in shell history"


def text_option(value: str, what: str) -> str:
    """A text option (`--note`, `--intention`, `--caption`); `-` reads it from stdin, out of argv's sight."""
    if value == "-":
        from django.conf import settings

        return read_text(sys.stdin.buffer, settings.ENTRY_MAX_CHARS, f"{what} on stdin")
    return utf8_argument(value, what)


def read_text(stream: IO[bytes], max_chars: int, what: str = "the text on stdin") -> str:
    """Read UTF-8 text from a byte stream, refusing more than `max_chars` without reading it all."""
    limit = max_chars * 4  # UTF-8 never needs more than 4 bytes a character
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UserError(f"{what} is too long to save as one entry (over {max_chars:,} characters)")
    try:
        return data.decode("utf-8-sig")  # a leading byte-order mark is not part of the text
    except UnicodeDecodeError as exc:
        raise UserError(f"{what} is not UTF-8 (byte {exc.start + 1} cannot be read); convert it first") from None


# SQLite counts with signed 64-bit numbers; a count past this many rows means "all of them".
MAX_COUNT = 1_000_000_000


def count_option(count: int, what: str, things: str) -> int:
    """`-n`/`--limit`: 1 or more, and any huge number is as good as "all" (it used to overflow SQLite)."""
    if count < 1:
        raise UserError(f"{what} is how many {things} to show, so 1 or more")
    return min(count, MAX_COUNT)


def session_option(owner: Any, number: int | None) -> Session | None:
    """The session a `--session N` option names in the current course, None without one."""
    if number is None:
        return None
    if not 1 <= number <= MAX_COUNT:
        raise UserError(f"There is no session {number} in your current course.")
    try:
        return session_by_number(owner, number)
    except NoSuchSession as exc:
        raise UserError(str(exc)) from None
