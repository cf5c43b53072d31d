"""Prompt packs: TOML data files, checked against a small schema when loaded.

Packs ship in `afterglow/prompts/packs/`; more can be dropped into
`$AFTERGLOW_HOME/packs/`. A pack there with the id of a shipped pack replaces
it, so a clinic can reword a programme without touching the code.

A pack file looks like this (see the shipped packs for complete examples):

    schema = 1
    id = "three-stage"          # lowercase letters, digits, hyphens
    version = 1                 # bump when the wording changes
    title = "Recall, reflection, action"
    kind = "stages"             # intention | stages | programme | practices

    [[stages]]                  # `[[sessions]]` with `number = 1..N` for a programme
    id = "recall"
    title = "Recall"
    intro = "…"                 # optional

    [[stages.prompts]]
    id = "first"                # unique within the pack
    text = "…"
    hint = "…"                  # optional
    title = "…"                 # optional short name (practices)
    action = true               # optional: the answer can become an integration action
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from afterglow.lib.datafiles import DataFileError, load_toml

SHIPPED_DIR = Path(__file__).parent / "packs"
SCHEMA = 1
KINDS = ("intention", "stages", "programme", "practices")
# The packs the app itself relies on; a library without them is a broken install.
REQUIRED = ("intention", "three-stage", "practices")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
# Prompt text is copied into Intention.prompt_text (500 characters).
MAX_TEXT = 500

_PACK_KEYS = {"schema", "id", "version", "title", "kind", "description", "stages", "sessions"}
_GROUP_KEYS = {"id", "number", "title", "intro", "prompts"}
_PROMPT_KEYS = {"id", "text", "hint", "title", "action"}


class PackError(DataFileError):
    """A pack file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Prompt:
    pack: str
    id: str
    text: str
    hint: str = ""
    title: str = ""
    action: bool = False

    @property
    def key(self) -> str:
        """How an answer remembers its prompt (Entry.prompt_id, Intention.prompt_id)."""
        return f"{self.pack}/{self.id}"

    @property
    def slug(self) -> str:
        """Safe for HTML ids and URL fragments."""
        return f"{self.pack}--{self.id}"


@dataclass(frozen=True)
class Group:
    """A stage of a pack, or the set for one session of a programme."""

    id: str
    title: str
    prompts: tuple[Prompt, ...]
    intro: str = ""
    number: int | None = None


@dataclass(frozen=True)
class Pack:
    id: str
    version: int
    title: str
    kind: str
    groups: tuple[Group, ...]
    source: Path
    description: str = ""

    @property
    def prompts(self) -> tuple[Prompt, ...]:
        return tuple(p for g in self.groups for p in g.prompts)

    def session(self, number: int) -> Group | None:
        return next((g for g in self.groups if g.number == number), None)


@dataclass
class Library:
    packs: dict[str, Pack] = field(default_factory=dict)
    # Broken files in the patient's packs folder: shown on the prompts page, never fatal.
    problems: list[str] = field(default_factory=list)

    def __getitem__(self, pack_id: str) -> Pack:
        return self.packs[pack_id]

    def get(self, pack_id: str) -> Pack | None:
        return self.packs.get(pack_id)


# A pack is a few kilobytes of text; a file dropped in the packs folder may be anything (even a device).
PACK_MAX_BYTES = 2 * 1024 * 1024


def _too_big(size: int) -> str:
    return f"a pack file can be up to {PACK_MAX_BYTES // 1024 // 1024} MB; this one is larger"


def load_pack(path: Path) -> Pack:
    return load_toml(
        path,
        lambda raw: _pack(raw, path),
        error=PackError,
        where=str(path),
        max_bytes=PACK_MAX_BYTES,
        too_big=_too_big,
        what="pack file",
    )


class _Invalid(ValueError):
    pass


def _pack(raw: dict[str, Any], path: Path) -> Pack:
    _known_keys(raw, _PACK_KEYS, "the pack")
    if raw.get("schema", SCHEMA) != SCHEMA:
        raise _Invalid(f"schema {raw['schema']!r} is not supported (expected {SCHEMA})")
    pack_id = _ident(raw.get("id"), "pack id")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _Invalid("version must be a whole number, 1 or more")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _Invalid(f"kind must be one of {', '.join(KINDS)} (got {kind!r})")
    groups = _sessions(raw, pack_id) if kind == "programme" else _stages(raw, pack_id)
    _unique_prompt_ids(groups)
    title = _text(raw.get("title"), "title")
    return Pack(pack_id, version, title, kind, groups, path, _optional_text(raw, "description"))


def _stages(raw: dict[str, Any], pack_id: str) -> tuple[Group, ...]:
    items = _list_of_tables(raw.get("stages"), "stages")
    groups = tuple(_group(item, pack_id, _ident(item.get("id"), "stage id")) for item in items)
    ids = [g.id for g in groups]
    if len(set(ids)) != len(ids):
        raise _Invalid("stage ids must be unique")
    return groups


def _sessions(raw: dict[str, Any], pack_id: str) -> tuple[Group, ...]:
    items = _list_of_tables(raw.get("sessions"), "sessions")
    groups = []
    for expected, item in enumerate(items, start=1):
        if item.get("number") != expected:
            raise _Invalid(f"sessions must be numbered 1, 2, 3… in order (session {expected} has {item.get('number')!r})")
        groups.append(_group(item, pack_id, f"session-{expected}", number=expected))
    return tuple(groups)


def _group(item: dict[str, Any], pack_id: str, group_id: str, number: int | None = None) -> Group:
    _known_keys(item, _GROUP_KEYS, f"{group_id}")
    title = _text(item.get("title"), f"{group_id}: title")
    prompts = tuple(_prompt(p, pack_id, group_id) for p in _list_of_tables(item.get("prompts"), f"{group_id}: prompts"))
    return Group(group_id, title, prompts, _optional_text(item, "intro"), number)


def _prompt(item: dict[str, Any], pack_id: str, where: str) -> Prompt:
    prompt_id = _ident(item.get("id"), f"{where}: prompt id")
    _known_keys(item, _PROMPT_KEYS, f"prompt {prompt_id}")
    text = _text(item.get("text"), f"prompt {prompt_id}: text")
    action = item.get("action", False)
    if not isinstance(action, bool):
        raise _Invalid(f"prompt {prompt_id}: action must be true or false")
    hint, title = _optional_text(item, "hint"), _optional_text(item, "title")
    return Prompt(pack_id, prompt_id, text, hint=hint, title=title, action=action)


def _unique_prompt_ids(groups: tuple[Group, ...]) -> None:
    seen: set[str] = set()
    for prompt in (p for g in groups for p in g.prompts):
        if prompt.id in seen:
            raise _Invalid(f"prompt id {prompt.id!r} is used twice; prompt ids must be unique within a pack")
        seen.add(prompt.id)


def _known_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    # Unknown keys are usually typos ("acton = true"); silently ignoring them hides the mistake.
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _Invalid(f"{where}: unknown key {', '.join(map(repr, unknown))}")


def _ident(value: Any, what: str) -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise _Invalid(f"{what} must be lowercase letters, digits and hyphens (got {value!r})")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"{what} is missing or empty")
    if len(value) > MAX_TEXT:
        raise _Invalid(f"{what} is longer than {MAX_TEXT} characters")
    return value.strip()


def _optional_text(table: dict[str, Any], key: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise _Invalid(f"{key} must be text")
    return value.strip()


def _list_of_tables(value: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise _Invalid(f"{what}: needs at least one entry")
    return value


def pack_dirs() -> list[Path]:
    return [SHIPPED_DIR, Path(settings.HOME) / "packs"]


def load_library(dirs: list[Path] | None = None, *, strict: bool = False) -> Library:
    """Every pack in `dirs`, later folders overriding earlier ones by pack id.

    Shipped packs must load (a broken one is a bug). In the patient's folder a
    broken file is reported in `problems` and skipped, unless `strict`.
    """
    dirs = dirs if dirs is not None else pack_dirs()
    lib = Library()
    for index, folder in enumerate(dirs):
        lenient = index > 0 and not strict
        for pack in _load_folder(folder, lib, lenient):
            lib.packs[pack.id] = pack
    missing = [p for p in REQUIRED if p not in lib.packs] if dirs and dirs[0] == SHIPPED_DIR else []
    if missing:
        raise PackError(f"{SHIPPED_DIR}: the {', '.join(missing)} pack is missing; reinstall Afterglow")
    return lib


def _load_folder(folder: Path, lib: Library, lenient: bool) -> list[Pack]:
    packs: dict[str, Pack] = {}
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            pack = load_pack(path)
            if pack.id in packs:
                raise PackError(f"{path}: pack id {pack.id!r} is already used by {packs[pack.id].source.name}")
        except PackError as exc:
            if not lenient:
                raise
            lib.problems.append(str(exc))
            continue
        packs[pack.id] = pack
    return list(packs.values())


_cache: dict[tuple[Any, ...], Library] = {}


def library() -> Library:
    """The packs in use, reloaded only when a pack file is added, changed or removed."""
    dirs = pack_dirs()
    key = _signature(dirs)
    if key not in _cache:
        lib = load_library(dirs)
        _cache.clear()
        _cache[key] = lib
    return _cache[key]


def _signature(dirs: list[Path]) -> tuple[Any, ...]:
    files = []
    for folder in dirs:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            stat = path.stat()
            files.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(files)
