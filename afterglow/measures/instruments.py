"""The standard questionnaires, loaded from `instruments/*.toml` and checked on load.

The files hold everything that makes an instrument what it is: the verbatim
items and attribution, answer options, bands, LOINC codes, clusters, recall
window. Code only reads them; adding an instrument means adding a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from afterglow.lib.datafiles import DataFileError, load_toml

FOLDER = Path(__file__).parent / "instruments"
SCHEMA = 1
REQUIRED = ("id", "name", "title", "recall", "recall_days", "question", "attribution", "max_total")


class InstrumentDataError(DataFileError):
    """An instrument file does not have the shape scoring needs (a packaging bug, not user input)."""


@dataclass(frozen=True)
class Option:
    value: int
    label: str
    loinc: str = ""


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    options: tuple[Option, ...]
    loinc: str = ""
    scored: bool = True

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(o.value for o in self.options)

    def label_for(self, value: int | None) -> str:
        return next((o.label for o in self.options if o.value == value), "")


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    name: str


@dataclass(frozen=True)
class Cluster:
    key: str
    name: str
    items: tuple[int, ...]
    needs: int


@dataclass(frozen=True)
class Instrument:
    id: str
    name: str
    title: str
    about: str
    recall: str
    recall_days: int
    question: str
    attribution: str
    max_total: int
    items: tuple[Item, ...]
    bands: tuple[Band, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    loinc_panel: str = ""
    loinc_total: str = ""
    crisis_item: int | None = None
    meaningful_change: int = 0
    response_drop: float | None = None
    remission_below: int | None = None
    cutoff: int | None = None
    endorsed_at: int = 0

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.scored)

    def item(self, number: int) -> Item | None:
        return next((i for i in self.items if i.number == number), None)

    def band_for(self, total: int) -> Band | None:
        return next((b for b in self.bands if b.low <= total <= b.high), None)


@cache
def instruments() -> dict[str, Instrument]:
    """Every instrument by id, in a stable order (PHQ-9, GAD-7, PCL-5)."""
    found = [load_file(path) for path in sorted(FOLDER.glob("*.toml"))]
    order = {"phq9": 0, "gad7": 1, "pcl5": 2}
    found.sort(key=lambda i: (order.get(i.id, 9), i.id))
    return {i.id: i for i in found}


def get(instrument_id: str) -> Instrument | None:
    return instruments().get(instrument_id)


def load_file(path: Path) -> Instrument:
    return load_toml(path, lambda raw: parse(raw, path.name), error=InstrumentDataError)


def parse(raw: Mapping[str, Any], where: str = "instrument") -> Instrument:
    if raw.get("schema") != SCHEMA:
        raise InstrumentDataError(f"{where}: schema must be {SCHEMA}")
    missing = [key for key in REQUIRED if raw.get(key) in (None, "")]
    if missing:
        raise InstrumentDataError(f"{where}: missing {', '.join(missing)}")
    options = _options(raw.get("options", ()), where)
    items = tuple(_item(body, options, where) for body in raw.get("items", ()))
    instrument = Instrument(
        id=raw["id"], name=raw["name"], title=raw["title"], about=raw.get("about", ""), recall=raw["recall"],
        recall_days=int(raw["recall_days"]), question=raw["question"], attribution=raw["attribution"],
        max_total=int(raw["max_total"]), items=items,
        bands=tuple(Band(int(b["low"]), int(b["high"]), str(b["name"])) for b in raw.get("bands", ())),
        clusters=tuple(_cluster(c, where) for c in raw.get("clusters", ())),
        loinc_panel=raw.get("loinc_panel", ""), loinc_total=raw.get("loinc_total", ""),
        crisis_item=raw.get("crisis_item"), meaningful_change=int(raw.get("meaningful_change", 0)),
        response_drop=raw.get("response_drop"), remission_below=raw.get("remission_below"),
        cutoff=raw.get("cutoff"), endorsed_at=int(raw.get("endorsed_at", 0)),
    )  # fmt: skip
    check(instrument, where)
    return instrument


def _options(bodies: Any, where: str) -> tuple[Option, ...]:
    options = tuple(Option(int(o["value"]), str(o["label"]), str(o.get("loinc", ""))) for o in bodies)
    if not options:
        raise InstrumentDataError(f"{where}: no answer options")
    return options


def _item(body: Mapping[str, Any], default: tuple[Option, ...], where: str) -> Item:
    if not body.get("number") or not body.get("text"):
        raise InstrumentDataError(f"{where}: every item needs a number and its text")
    own = body.get("options")
    options = _options(own, where) if own else default
    return Item(int(body["number"]), str(body["text"]), options, str(body.get("loinc", "")), bool(body.get("scored", True)))


def _cluster(body: Mapping[str, Any], where: str) -> Cluster:
    if not body.get("key") or not body.get("items"):
        raise InstrumentDataError(f"{where}: every cluster needs a key and items")
    return Cluster(str(body["key"]), str(body.get("name", "")), tuple(int(n) for n in body["items"]), int(body.get("needs", 0)))


def check(instrument: Instrument, where: str) -> None:
    """The invariants scoring relies on: numbered items, reachable totals, bands that tile the range."""
    numbers = [i.number for i in instrument.items]
    if numbers != list(range(1, len(numbers) + 1)):
        raise InstrumentDataError(f"{where}: items must be numbered 1, 2, 3… in order")
    scored = instrument.scored_items
    if not scored:
        raise InstrumentDataError(f"{where}: no scored items")
    if sum(max(i.values) for i in scored) != instrument.max_total:
        raise InstrumentDataError(f"{where}: max_total does not match the items' highest answers")
    _check_bands(instrument, where)
    for cluster in instrument.clusters:
        if not set(cluster.items) <= {i.number for i in scored}:
            raise InstrumentDataError(f"{where}: cluster {cluster.key} names an item that is not scored")
    if instrument.crisis_item is not None and instrument.item(instrument.crisis_item) is None:
        raise InstrumentDataError(f"{where}: crisis_item {instrument.crisis_item} is not an item")


def _check_bands(instrument: Instrument, where: str) -> None:
    if not instrument.bands:
        return
    expected = 0
    for band in instrument.bands:
        if band.low != expected or band.high < band.low:
            raise InstrumentDataError(f"{where}: bands must run from 0 without gaps or overlaps")
        expected = band.high + 1
    if expected != instrument.max_total + 1:
        raise InstrumentDataError(f"{where}: bands must end at max_total")
