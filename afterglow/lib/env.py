"""Typed readers for environment variables (framework-free)."""

from __future__ import annotations

import os
from pathlib import Path


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class BadEnvironment(ValueError):
    """A variable Afterglow cannot use; the message names it and is shown as is (it holds no journal text)."""


def envint(name: str, default: int, low: int | None = None, high: int | None = None) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadEnvironment(f"{name}={raw!r} should be a whole number") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise BadEnvironment(f"{name}={value} should be {_range(low, high)}")
    return value


def _range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"from {low} to {high}"
    return f"{low} or more" if low is not None else f"{high} or less"


def time_zone_name() -> str:
    """AFTERGLOW_TIME_ZONE (an IANA name, checked), else TZ when it is one, else UTC."""
    chosen = os.environ.get("AFTERGLOW_TIME_ZONE", "").strip()
    if chosen:
        if not _is_zone(chosen):
            raise BadEnvironment(f"AFTERGLOW_TIME_ZONE={chosen!r} is not a time zone name such as Europe/Paris")
        return chosen
    # TZ may also hold a POSIX rule ("EST5EDT,M3.2.0,M11.1.0") that only the C library reads.
    system = os.environ.get("TZ", "").strip().removeprefix(":")
    return system if system and _is_zone(system) else "UTC"


def _is_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def data_home() -> Path:
    """AFTERGLOW_HOME, else the platform's user data directory for Afterglow."""
    configured = os.environ.get("AFTERGLOW_HOME", "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir("Afterglow", appauthor=False))

