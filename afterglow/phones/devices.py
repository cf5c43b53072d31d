"""Paired phones (devices.json) and the one-time pairing code.

$AFTERGLOW_HOME/phones/devices.json (format version 1, owner-only):
    {"format": "afterglow-phones", "version": 1,
     "devices": [{"id", "name", "token_sha256", "paired_at", "last_used"}]}
Only a hash of each phone's cookie is kept, so the file cannot be used to pose as a phone. It lives
outside the encrypted journal because a phone must be recognised while the journal is locked (to be
shown the unlock page rather than the pairing page); it holds the names people give their phones
and when each was last used, nothing of the journal.

The pairing code lives only in this process's memory: it is shown on this computer, works once,
for five minutes, and wrong guesses are throttled (and ten of them end the code).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from afterglow.lib.errors import UserError
from afterglow.phones.ca import folder, made_folder
from afterglow.vault import store
from afterglow.vault.throttle import Throttle

FORMAT = "afterglow-phones"
VERSION = 1
COOKIE = "afterglow_device"
COOKIE_DAYS = 400  # browsers keep a cookie at most 400 days
CODE_SECONDS = 5 * 60
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread
CODE_LENGTH = 8
MISSES_PER_CODE = 10
NAME_MAX = 60
LAST_USED_EVERY = 60.0  # seconds: last use is noted at most once a minute per phone


class PairingRefused(UserError, ValueError):
    """A code that is wrong, used or expired (400); 429 while guesses must wait."""


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    token_sha256: str
    paired_at: str
    last_used: str

    @property
    def last_used_at(self) -> datetime:
        return datetime.fromisoformat(self.last_used)

    @property
    def paired_at_time(self) -> datetime:
        return datetime.fromisoformat(self.paired_at)


def _path() -> Path:
    return folder() / "devices.json"


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Registry:
    """devices.json, read again only when it changed on disk, written whole (atomic) on each change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: tuple[Path, int, int] | None = None
        self._devices: list[Device] = []
        self._noted: dict[str, float] = {}

    def all(self) -> list[Device]:
        with self._lock:
            return list(self._read())

    def _read(self) -> list[Device]:
        path = _path()
        try:
            info = path.stat()
        except FileNotFoundError:
            self._seen, self._devices = None, []
            return self._devices
        seen = (path, info.st_mtime_ns, info.st_size)
        if seen != self._seen:
            self._devices = _parse(path.read_bytes())
            self._seen = seen
        return self._devices

    def _write(self, devices: list[Device]) -> None:
        doc = {"format": FORMAT, "version": VERSION, "devices": [asdict(d) for d in devices]}
        made_folder()
        store.atomic_write(_path(), (json.dumps(doc, indent=2) + "\n").encode())
        self._devices, self._seen = devices, None

    def add(self, name: str) -> tuple[Device, str]:
        """A new paired phone and the cookie value that proves it (kept only as a hash)."""
        token = secrets.token_urlsafe(32)
        now = _stamp()
        device = Device(secrets.token_hex(8), name, _hash(token), now, now)
        with self._lock:
            self._write([*self._read(), device])
        return device, token

    def find(self, token: str | None) -> Device | None:
        if not token:
            return None
        wanted = _hash(token)
        with self._lock:
            for device in self._read():
                if secrets.compare_digest(device.token_sha256, wanted):
                    return device
        return None

    def revoke(self, device_id: str) -> bool:
        with self._lock:
            devices = self._read()
            kept = [d for d in devices if d.id != device_id]
            if len(kept) == len(devices):
                return False
            self._write(kept)
        return True

    def note_use(self, device: Device, clock: Callable[[], float] = time.monotonic) -> None:
        now = clock()
        if now - self._noted.get(device.id, -LAST_USED_EVERY) < LAST_USED_EVERY:
            return
        self._noted[device.id] = now
        with self._lock:
            devices = [replace(d, last_used=_stamp()) if d.id == device.id else d for d in self._read()]
            if any(d.id == device.id for d in devices):  # revoked meanwhile: never written back
                self._write(devices)


def _parse(data: bytes) -> list[Device]:
    """The devices in the file; a damaged file pairs no phone (they pair again), it never lets one in."""
    try:
        doc = json.loads(data)
        if doc.get("format") != FORMAT or doc.get("version") != VERSION:
            return []
        return [Device(**{k: str(row[k]) for k in Device.__dataclass_fields__}) for row in doc["devices"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        return []


registry = Registry()


def clean_name(raw: str) -> str:
    name = " ".join(raw.split())[:NAME_MAX]
    if not name:
        raise PairingRefused("Give this phone a name, so you can tell it apart in the list (for example “Sam’s phone”).")
    return name


# --- the pairing code ---------------------------------------------------------


@dataclass
class Code:
    value: str
    expires: float
    misses: int = 0

    @property
    def shown(self) -> str:
        return f"{self.value[:4]}-{self.value[4:]}"


class Pairing:
    """At most one live code at a time: making a new one ends the old."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._code: Code | None = None
        # Guesses come from devices that are not paired yet, so one count for all of them: a few
        # free (typos), then doubling waits up to a minute; and a code dies after ten misses.
        self.throttle = Throttle(clock, grace=3, max_wait=60.0)

    def new_code(self) -> Code:
        value = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        with self._lock:
            self._code = Code(value, self._clock() + CODE_SECONDS)
            return self._code

    def live(self) -> Code | None:
        with self._lock:
            if self._code is not None and self._clock() >= self._code.expires:
                self._code = None
            return self._code

    def seconds_left(self) -> int:
        code = self.live()
        return 0 if code is None else max(0, int(code.expires - self._clock()))

    def end(self) -> None:
        with self._lock:
            self._code = None

    def redeem(self, typed: str) -> None:
        """Accept the live code once; raise PairingRefused otherwise."""
        wait = self.throttle.seconds_left()
        if wait:
            raise PairingRefused(f"Too many wrong codes. Please wait {wait} seconds, then try again.", 429)
        wanted = normalise_code(typed)
        with self._lock:
            code = self._code
            if code is not None and self._clock() >= code.expires:
                code = self._code = None
            if code is not None and secrets.compare_digest(code.value.encode(), wanted.encode()):
                self._code = None  # works once
                self.throttle.succeeded()
                return
            if code is not None:
                code.misses += 1
                if code.misses >= MISSES_PER_CODE:
                    self._code = None
        waited = self.throttle.failed()
        raise PairingRefused(
            "That code does not work: it may be mistyped, used already, or more than five minutes old. "
            "Make a new one in Settings → Phones on your computer.",
            429 if waited else 400,
        )


def normalise_code(typed: str) -> str:
    return "".join(ch for ch in typed.upper() if ch.isalnum())[:32]


pairing = Pairing()
