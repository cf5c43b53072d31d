"""Progress for long exports and imports: a line on stderr that rewrites itself, only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts rows; `tick()` is cheap. Quiet unless given a terminal stream."""

    def __init__(self, verb: str, stream: TextIO | None = None, total: int | None = None) -> None:
        self.verb, self.total, self.count = verb, total, 0
        self.stream = stream if stream is not None and stream.isatty() else None
        self._last = 0.0

    def tick(self, n: int = 1) -> None:
        self.count += n
        if self.stream is None:
            return
        now = time.monotonic()
        if now - self._last >= 0.2:
            self._last = now
            self._draw()

    def _draw(self) -> None:
        assert self.stream is not None
        if self.total:
            share = min(self.count / self.total, 1.0)
            bar = "#" * int(share * 30)
            self.stream.write(f"\r{self.verb} [{bar:<30}] {self.count:,}/{self.total:,}")
        else:
            self.stream.write(f"\r{self.verb}: {self.count:,} records")
        self.stream.flush()

    def done(self) -> None:
        if self.stream is not None:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()


def quiet() -> Progress:
    return Progress("")


def for_cli(verb: str, total: int | None = None) -> Progress:
    return Progress(verb, sys.stderr, total)
