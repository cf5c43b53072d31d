"""Growing waits after failed unlocks, per process (framework-free).

The first miss costs nothing (typos happen); after that each miss doubles
the wait, up to five minutes. A success clears the count.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

MAX_WAIT = 300.0


def wait_after(failures: int) -> float:
    return 0.0 if failures <= 1 else min(2.0 ** (failures - 1), MAX_WAIT)


class Throttle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.failures = 0
        self._not_before = 0.0

    def seconds_left(self) -> int:
        return max(0, math.ceil(self._not_before - self._clock()))

    def failed(self) -> int:
        """Count a miss; returns the seconds the person must now wait."""
        with self._lock:
            self.failures += 1
            wait = wait_after(self.failures)
            self._not_before = self._clock() + wait
        return math.ceil(wait)

    def succeeded(self) -> None:
        with self._lock:
            self.failures = 0
            self._not_before = 0.0
