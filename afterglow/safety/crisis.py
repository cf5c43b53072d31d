"""Crisis resources by region, from `data/crisis.toml`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from afterglow.lib.datafiles import DataFileError, load_toml

DATA = Path(__file__).parent / "data" / "crisis.toml"


@dataclass(frozen=True)
class Line:
    name: str
    how: str
    call: str = ""
    text: str = ""
    keyword: str = ""
    url: str = ""

    @property
    def sms_href(self) -> str:
        return f"sms:{self.text}?&body={self.keyword}" if self.keyword else f"sms:{self.text}"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: str
    checked: str
    source: str
    note: str = ""
    lines: tuple[Line, ...] = field(default_factory=tuple)


@cache
def regions() -> dict[str, Region]:
    return load_toml(DATA, _regions)


def _regions(raw: Mapping[str, Any]) -> dict[str, Region]:
    found = {code: _region(code, body) for code, body in raw["regions"].items()}
    for key in ("default", "fallback"):
        if raw[key] not in found:
            raise DataFileError(f"crisis.toml: {key} region {raw[key]!r} is not defined")
    return found


def _region(code: str, body: dict) -> Region:
    for required in ("name", "emergency", "checked", "source"):
        if not body.get(required):
            raise DataFileError(f"crisis.toml: region {code} has no {required}")
    lines = tuple(_line(code, line) for line in body.get("lines", []))
    return Region(code, body["name"], body["emergency"], body["checked"], body["source"], body.get("note", ""), lines)


def _line(code: str, body: dict) -> Line:
    if not body.get("name") or not body.get("how") or not (body.get("call") or body.get("text")):
        raise DataFileError(f"crisis.toml: every line of {code} needs a name, how, and a number to call or text")
    return Line(**body)


def region_code_from_locale(lang: str) -> str:
    """'en_GB.UTF-8' -> 'GB'."""
    base = lang.split(".")[0]
    return base.split("_")[1].upper() if "_" in base else ""


def choices() -> list[Region]:
    """Every region, the fallback last, for a picker."""
    table = regions()
    return sorted(table.values(), key=lambda r: (r.code == "INTL", r.name))


def region_for(setting: str = "") -> Region:
    """The region picked in Settings, then AFTERGLOW_CRISIS_REGION, then the locale, then US."""
    table = regions()
    locale_code = region_code_from_locale(os.environ.get("LANG", ""))
    for code in (setting, os.environ.get("AFTERGLOW_CRISIS_REGION", ""), locale_code):
        if code and code.upper() in table:
            return table[code.upper()]
    if setting or os.environ.get("AFTERGLOW_CRISIS_REGION"):
        return table["INTL"]
    return table["US"]
