"""Growing waits after wrong secrets, per client (framework-free).

The first miss costs nothing (typos happen); after that each miss doubles
the wait, up to five minutes. A success clears the count, and so does an
hour without misses.

Each client (a browser, known by a random id in its signed session) has its
own count, so a stranger's guesses never delay the owner's browser. A client
can shed its id by dropping cookies, so misses from clients without a good
track record (never unlocked here) also count towards one shared ceiling: a
few dozen free, then growing waits up to a minute, for those clients only.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

MAX_WAIT = 300.0
FORGET_AFTER = 3600.0
SHARED_GRACE = 20
SHARED_MAX_WAIT = 60.0
MAX_CLIENTS = 4096


def wait_after(failures: int, grace: int = 1, max_wait: float = MAX_WAIT) -> float:
    return 0.0 if failures <= grace else min(2.0 ** (failures - grace), max_wait)


class Throttle:
    """One count of misses and the wait it imposes."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        grace: int = 1,
        max_wait: float = MAX_WAIT,
        forget_after: float = FORGET_AFTER,
    ) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._grace, self._max_wait, self._forget_after = grace, max_wait, forget_after
        self.failures = 0
        self._not_before = 0.0
        self._last_failure = 0.0

    def seconds_left(self) -> int:
        return max(0, math.ceil(self._not_before - self._clock()))

    def failed(self) -> int:
        """Count a miss; returns the seconds the person must now wait."""
        with self._lock:
            now = self._clock()
            if self.failures and now - self._last_failure > self._forget_after:
                self.failures = 0
            self.failures += 1
            self._last_failure = now
            wait = wait_after(self.failures, self._grace, self._max_wait)
            self._not_before = now + wait
        return math.ceil(wait)

    def succeeded(self) -> None:
        with self._lock:
            self.failures = 0
            self._not_before = 0.0


class ClientThrottles:
    """A Throttle per client, plus the shared ceiling for clients without a good track record."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, max_clients: int = MAX_CLIENTS) -> None:
        self._clock = clock
        self._max_clients = max_clients
        self._lock = threading.Lock()
        self._clients: OrderedDict[str, Throttle] = OrderedDict()
        self.shared = Throttle(clock, grace=SHARED_GRACE, max_wait=SHARED_MAX_WAIT)

    def _of(self, client: str) -> Throttle:
        with self._lock:
            found = self._clients.get(client)
            if found is None:
                found = self._clients[client] = Throttle(self._clock)
                # Forgetting the oldest only ever shortens someone's wait; the shared ceiling still holds.
                while len(self._clients) > self._max_clients:
                    self._clients.popitem(last=False)
            self._clients.move_to_end(client)
            return found

    def seconds_left(self, client: str, trusted: bool) -> int:
        own = self._of(client).seconds_left()
        return own if trusted else max(own, self.shared.seconds_left())

    def failed(self, client: str, trusted: bool) -> int:
        own = self._of(client).failed()
        return own if trusted else max(own, self.shared.failed())

    def succeeded(self, client: str) -> None:
        self._of(client).succeeded()

    def clear(self) -> None:
        with self._lock:
            self._clients.clear()
        self.shared.succeeded()
