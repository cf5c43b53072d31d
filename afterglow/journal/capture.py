"""The quick capture after a session: its steps (from `data/capture.toml`), parsing and saving one step at a time.

Each step is one question on one screen. A step's answer is parsed from form
data, checked, and written to the session's `Capture` at once, so a person who
stops half-way loses nothing and comes back to the first step still unanswered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction

from afterglow.journal.models import Capture, Session
from afterglow.lib.datafiles import DataFileError, load_toml
from afterglow.lib.errors import UserError
from afterglow.safety import side_effects

DATA = Path(__file__).parent / "data" / "capture.toml"
KINDS = ("text", "texts", "intensities", "scale", "yesno", "words")
LEVELS = (0, 1, 2, 3)
WORD_MAX_CHARS = 40
WORDS_MAX = 30
OVERALL = (1, 2, 3, 4, 5)
# The "right now" screen: how it was, and one line (or a voice note's transcript).
NOW_FIELDS = ("overall", "first_impression")
MACHINE = "machine_made"


class CaptureError(UserError, ValueError):
    """An answer that cannot be saved; the message is meant for the person."""


class FormData(Protocol):
    def get(self, key: str, default: Any = ...) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    kind: str
    question: str
    hint: str
    field: str = ""
    # texts: (model field, label); intensities: the list's choices.
    fields: tuple[tuple[str, str], ...] = ()
    choices: tuple[Choice, ...] = ()
    list_name: str = ""
    other_field: str = ""
    # Intensities of side effects: advice from safety/data/side_effects.toml shows beside them.
    clinician_note: bool = False

    @property
    def text_fields(self) -> tuple[str, ...]:
        """The free-text answers of this step: where a voice note's transcript can land."""
        if self.kind == "text":
            return (self.field,)
        return tuple(name for name, _ in self.fields) if self.kind == "texts" else ()

    @property
    def model_fields(self) -> tuple[str, ...]:
        """The Capture fields this step writes."""
        if self.kind == "texts":
            return tuple(name for name, _ in self.fields)
        if self.kind == "intensities":
            return (self.list_name, self.other_field) if self.other_field else (self.list_name,)
        if self.kind == "words":
            return ("emotions",)
        return (self.field,)


@dataclass(frozen=True)
class CaptureData:
    levels: tuple[str, ...]
    sensations: tuple[Choice, ...]
    signature: tuple[Choice, ...]
    emotions: tuple[str, ...]
    steps: tuple[Step, ...]
    overall: tuple[str, ...] = ()


# Loading and checking the data file -------------------------------------------------------------


@cache
def load() -> CaptureData:
    return load_toml(DATA, parse_data)


def parse_data(raw: Mapping[str, Any]) -> CaptureData:
    levels = tuple(raw.get("levels", ()))
    if len(levels) != len(LEVELS):
        raise DataFileError(f"capture.toml: levels needs {len(LEVELS)} words, one per intensity 0–3")
    lists = {name: _choices(raw, name) for name in ("sensations", "signature")}
    emotions = tuple(str(word) for word in raw.get("emotions", ()))
    if not emotions:
        raise DataFileError("capture.toml: emotions is empty")
    steps = tuple(_step(n, body, lists) for n, body in enumerate(raw.get("steps", ()), start=1))
    if not steps:
        raise DataFileError("capture.toml: no steps")
    _check_unique("step", [s.key for s in steps])
    _check_fields_exist(steps)
    overall = tuple(str(word) for word in raw.get("overall", ()))
    if len(overall) != len(OVERALL):
        raise DataFileError(f"capture.toml: overall needs {len(OVERALL)} words, one per answer 1–5")
    return CaptureData(levels, lists["sensations"], lists["signature"], emotions, steps, overall)


def _choices(raw: Mapping[str, Any], name: str) -> tuple[Choice, ...]:
    items = raw.get(name) or []
    for item in items:
        if not item.get("key") or not item.get("label"):
            raise DataFileError(f"capture.toml: every {name} item needs a key and a label")
    choices = tuple(Choice(item["key"], item["label"]) for item in items)
    if not choices:
        raise DataFileError(f"capture.toml: {name} is empty")
    _check_unique(name, [c.key for c in choices])
    return choices


def _step(number: int, body: Mapping[str, Any], lists: Mapping[str, tuple[Choice, ...]]) -> Step:
    key, kind = body.get("key", ""), body.get("kind", "")
    if kind not in KINDS:
        raise DataFileError(f"capture.toml: step {key or number} has unknown kind {kind!r}")
    if not key or not body.get("question"):
        raise DataFileError(f"capture.toml: step {number} needs a key and a question")
    list_name = body.get("list", "")
    if kind == "intensities" and list_name not in lists:
        raise DataFileError(f"capture.toml: step {key} names an unknown list {list_name!r}")
    if kind in ("text", "scale", "yesno") and not body.get("field"):
        raise DataFileError(f"capture.toml: step {key} needs a field")
    if kind == "texts" and not body.get("fields"):
        raise DataFileError(f"capture.toml: step {key} needs fields")
    return Step(
        number=number,
        key=key,
        kind=kind,
        question=body["question"],
        hint=body.get("hint", ""),
        field=body.get("field", ""),
        fields=tuple((name, label) for name, label in body.get("fields", ())),
        choices=lists.get(list_name, ()),
        list_name=list_name,
        other_field=body.get("other_field", ""),
        clinician_note=bool(body.get("clinician_note", False)) and kind == "intensities",
    )


def _check_unique(what: str, keys: list[str]) -> None:
    seen = {k for k in keys if keys.count(k) > 1}
    if seen:
        raise DataFileError(f"capture.toml: {what} key(s) used twice: {', '.join(sorted(seen))}")


def _check_fields_exist(steps: tuple[Step, ...]) -> None:
    names = {f.name for f in Capture._meta.get_fields()}
    for step in steps:
        missing = [name for name in step.model_fields if name not in names]
        if missing:
            raise DataFileError(f"capture.toml: step {step.key} writes unknown field(s) {', '.join(missing)}")


def steps() -> tuple[Step, ...]:
    return load().steps


def step_at(number: int) -> Step | None:
    all_steps = steps()
    return all_steps[number - 1] if 1 <= number <= len(all_steps) else None


# Parsing a posted step ----------------------------------------------------------------------------


def parse_step(step: Step, data: FormData) -> dict[str, Any]:
    """The model field values this step's form asks to store. Raises CaptureError on bad input."""
    if step.kind == "text":
        return {step.field: _text(data, step.field)}
    if step.kind == "texts":
        return {name: _text(data, name) for name, _ in step.fields}
    if step.kind == "intensities":
        return _parse_intensities(step, data)
    if step.kind == "scale":
        return {step.field: _level(data.get(step.field, ""), step.question)}
    if step.kind == "yesno":
        return {step.field: _yes_no(data.get(step.field, ""))}
    return {"emotions": _words(data)}


def _text(data: FormData, name: str, limit: int | None = None) -> str:
    text = str(data.get(name, "")).replace("\r\n", "\n").strip()
    limit = limit or settings.ENTRY_MAX_CHARS
    if len(text) > limit:
        raise CaptureError(f"That answer is too long to keep here (over {limit:,} characters). The writing page has more room.")
    return text


def _level(raw: str, what: str) -> int | None:
    raw = str(raw).strip()
    if raw == "":
        return None
    if raw not in {str(level) for level in LEVELS}:
        raise CaptureError(f"“{what}” takes a number from 0 (none) to 3 (strong).")
    return int(raw)


def _yes_no(raw: str) -> bool | None:
    answers = {"yes": True, "no": False, "": None}
    if raw not in answers:
        raise CaptureError("Please answer yes or no, or skip this question.")
    return answers[raw]


def _parse_intensities(step: Step, data: FormData) -> dict[str, Any]:
    known = {c.key: c for c in step.choices}
    levels: dict[str, int] = {}
    for name in _posted_names(data):
        prefix, _, key = name.partition("-")
        if prefix != step.list_name:
            continue
        if key not in known:
            raise CaptureError("One of the answers is not on this list. Please reload the page and try again.")
        level = _level(data.get(name, ""), known[key].label)
        if level is not None:
            levels[key] = level
    values: dict[str, Any] = {step.list_name: {c.key: levels[c.key] for c in step.choices if c.key in levels}}
    if step.other_field:
        limit = getattr(Capture._meta.get_field(step.other_field), "max_length", None)
        values[step.other_field] = _text(data, step.other_field, limit=limit)
    return values


def _posted_names(data: FormData) -> list[str]:
    return list(data.keys()) if hasattr(data, "keys") else []


def _words(data: FormData) -> list[str]:
    """Tapped words plus the person's own (comma or line separated), each once, in order."""
    raw = [*data.getlist("emotion"), *re.split(r"[,\n;]", str(data.get("emotion_other", "")))]
    words: list[str] = []
    for word in (w.strip() for w in raw):
        if word and word.casefold() not in {w.casefold() for w in words}:
            if len(word) > WORD_MAX_CHARS:
                raise CaptureError(f"“{word[:20]}…” is long for one feeling — a word or two is enough.")
            words.append(word)
    if len(words) > WORDS_MAX:
        raise CaptureError(f"That is a lot of feelings — please pick up to {WORDS_MAX}.")
    return words


# Saving and resuming ------------------------------------------------------------------------------


def has_values(values: Mapping[str, Any]) -> bool:
    return any(v not in (None, "", [], {}) for v in values.values())


@transaction.atomic
def save_step(session: Session, step: Step | None, values: Mapping[str, Any], *, machine: Iterable[str] = ()) -> Capture | None:
    """Write one step's answer (step None: the right-now screen). The Capture is created with the first real answer.

    `machine`: this step's text fields that hold a transcript the person has not edited since.
    """
    capture = Capture.objects.select_for_update().filter(session=session).first()
    if capture is None:
        if not has_values(values):
            return None
        capture = Capture(owner=session.owner, session=session)
    for name, value in values.items():
        setattr(capture, name, value)
    fields = step.text_fields if step else ("first_impression",)
    marked = {name for name in machine if name in fields and values.get(name)}
    capture.machine_made = sorted({*(capture.machine_made or []), *marked} - (set(fields) - marked))
    capture.save()
    return capture


def machine_of(capture: Capture | None) -> list[str]:
    return list(capture.machine_made or []) if capture else []


def machine_marks(data: FormData) -> list[str]:
    """The fields the page says hold an unedited transcript (capture.js keeps this list)."""
    return [str(name) for name in data.getlist(MACHINE)]


# A transcript that lands after its page was left -------------------------------------------------


def voice_fields() -> frozenset[str]:
    """The answers a voice note can be recorded for: every step's free text."""
    return frozenset(name for step in steps() for name in step.text_fields)


@transaction.atomic
def add_transcript(session: Session, field: str, text: str) -> Capture | None:
    """Add a finished transcript after the words already in `field`, marked machine-made.

    Called when the transcription job finishes, so the words reach their answer even if the
    person has moved on or closed the page. What was typed is never replaced; the same
    transcript twice (the page added it and saved first) is not added again.
    """
    step = next((s for s in steps() if field in s.text_fields), None)
    text = text.strip()
    if step is None or not text:
        return None
    capture = Capture.objects.select_for_update().filter(session=session).first()
    capture = capture or Capture(owner=session.owner, session=session)
    typed = (getattr(capture, field) or "").rstrip()
    if text in typed:
        return capture
    joined = typed + ("\n" if step.kind == "text" else " ") + text if typed else text
    if len(joined) > settings.ENTRY_MAX_CHARS:
        return capture  # the voice note keeps the words; the answer stays as the person left it
    setattr(capture, field, joined)
    capture.machine_made = sorted({*(capture.machine_made or []), field})
    capture.save()
    return capture


# The right-now screen ---------------------------------------------------------------------------------


def parse_now(data: FormData) -> dict[str, Any]:
    """How it was (1–5, or nothing) and one line. Raises CaptureError on bad input."""
    raw = str(data.get("overall", "")).strip()
    if raw and raw not in {str(n) for n in OVERALL}:
        raise CaptureError("Tap one of the five answers to “How was it?”, or leave it for now.")
    return {"overall": int(raw) if raw else None, "first_impression": _text(data, "first_impression")}


def now_values(capture: Capture | None) -> dict[str, Any]:
    return {name: getattr(capture, name) for name in NOW_FIELDS} if capture else {}


def overall_choices() -> list[tuple[str, str]]:
    return [(str(n), word) for n, word in zip(OVERALL, load().overall, strict=True)]


def overall_word(capture: Capture | None) -> str:
    if capture is None or capture.overall not in OVERALL:
        return ""
    return load().overall[OVERALL.index(capture.overall)]


def said_more(capture: Capture | None) -> bool:
    """Whether any of the fuller steps beyond the first line has an answer."""
    return any(is_answered(capture, step) for step in steps() if step.model_fields != ("first_impression",))


# Tapping side effects on and up ----------------------------------------------------------------------


def tapped(step: Step, levels: Mapping[str, int], key: str) -> dict[str, int]:
    """One tap on an item: not marked → mild → moderate → strong → not marked again."""
    if key not in {c.key for c in step.choices}:
        raise CaptureError("One of the answers is not on this list. Please reload the page and try again.")
    changed = dict(levels)
    level = changed.get(key, 0) + 1
    if level > LEVELS[-1]:
        changed.pop(key, None)
    else:
        changed[key] = level
    return {c.key: changed[c.key] for c in step.choices if c.key in changed}


def is_answered(capture: Capture | None, step: Step) -> bool:
    if capture is None:
        return False
    return has_values({name: getattr(capture, name) for name in step.model_fields})


def first_unanswered(capture: Capture | None) -> Step | None:
    """Where a returning person picks up; None when every step has an answer."""
    return next((step for step in steps() if not is_answered(capture, step)), None)


def answered_count(capture: Capture | None) -> int:
    return sum(is_answered(capture, step) for step in steps())


# What a step's form shows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One labelled answer on a step's form: a text box, a 0–3 row or a word to tap."""

    name: str
    label: str
    value: str
    # Side effects that can bring advice: its kind ("warning", "expected", …),
    # the lowest level that shows it, and the words. Pleasant ones have none.
    advice_kind: str = ""
    advise_from: int = 0
    advice: str = ""

    @property
    def advice_shown(self) -> bool:
        level = side_effects.as_level(self.value)
        return bool(self.advise_from) and level is not None and level >= self.advise_from


def _effect_row(step: Step, choice: Choice, value: str, emergency: str) -> Row:
    name = f"{step.list_name}-{choice.key}"
    found = side_effects.effect(choice.key) if step.clinician_note else None
    if found is None or not found.advise_from:
        return Row(name, choice.label, value)
    return Row(name, choice.label, value, found.kind, found.advise_from, side_effects.advice_text(found.kind, emergency))


def form_rows(step: Step, current: Mapping[str, Any], emergency: str = "") -> list[Row]:
    """The inputs a step shows, filled from `current` (saved values, or what was just posted).

    `emergency` is the region's emergency number, for the warning-sign advice.
    """
    if step.kind == "text":
        return [Row(step.field, step.question, _show(current.get(step.field)))]
    if step.kind == "texts":
        return [Row(name, label, _show(current.get(name))) for name, label in step.fields]
    if step.kind == "intensities":
        levels = current.get(step.list_name) or {}
        return [_effect_row(step, c, _show(levels.get(c.key)), emergency) for c in step.choices]
    if step.kind == "words":
        return _word_rows(current.get("emotions") or [])
    return [Row(step.field, step.question, _show(current.get(step.field)))]


def _word_rows(chosen: list[str]) -> list[Row]:
    picked = {w.casefold() for w in chosen}
    known = load().emotions
    own = [w for w in chosen if w.casefold() not in {k.casefold() for k in known}]
    return [Row("emotion", word, "on" if word.casefold() in picked else "") for word in (*known, *own)]


def extra_text(step: Step, current: Mapping[str, Any]) -> str:
    """The free 'something else' / 'your own words' box some steps have."""
    if step.kind == "intensities" and step.other_field:
        return _show(current.get(step.other_field))
    return _show(current.get("emotion_other")) if step.kind == "words" else ""


def _show(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def saved_values(capture: Capture | None, step: Step) -> dict[str, Any]:
    if capture is None:
        return {}
    return {name: getattr(capture, name) for name in step.model_fields}


def posted_values(step: Step, data: FormData) -> dict[str, Any]:
    """What was typed, unvalidated, so a form shown again with an error keeps every answer."""
    if step.kind == "intensities":
        prefix = f"{step.list_name}-"
        levels = {n[len(prefix) :]: data.get(n) for n in _posted_names(data) if n.startswith(prefix)}
        out: dict[str, Any] = {step.list_name: levels}
        if step.other_field:
            out[step.other_field] = data.get(step.other_field, "")
        return out
    if step.kind == "words":
        return {"emotions": data.getlist("emotion"), "emotion_other": data.get("emotion_other", "")}
    return {name: data.get(name, "") for name in step.model_fields}


# The summary at the end -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """Advice about some marked side effects: "warning" (contact the clinic now) or a gentle kind."""

    kind: str
    labels: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Answer:
    step: Step
    lines: tuple[str, ...]
    # Advice about the side effects in this answer, most pressing first.
    notes: tuple[Note, ...] = ()

    @property
    def answered(self) -> bool:
        return bool(self.lines)


def summary(capture: Capture | None, emergency: str = "") -> list[Answer]:
    return [summary_for(capture, step, emergency) for step in steps()]


def summary_for(capture: Capture | None, step: Step, emergency: str = "") -> Answer:
    return Answer(step, tuple(_describe(capture, step)) if capture else (), _notes(capture, step, emergency))


def _notes(capture: Capture | None, step: Step, emergency: str) -> tuple[Note, ...]:
    if capture is None or not step.clinician_note:
        return ()
    labels = {c.key: c.label for c in step.choices}
    found = side_effects.advice_for(getattr(capture, step.list_name) or {}, emergency)
    return tuple(Note(a.kind, tuple(labels[k] for k in a.keys if k in labels), a.text) for a in found)


def _describe(capture: Capture, step: Step) -> list[str]:
    level_words = load().levels
    if step.kind == "text":
        return [v for v in [getattr(capture, step.field)] if v]
    if step.kind == "texts":
        return [f"{label}: {getattr(capture, name)}" for name, label in step.fields if getattr(capture, name)]
    if step.kind == "intensities":
        levels = getattr(capture, step.list_name) or {}
        lines = [f"{c.label}: {level_words[levels[c.key]].lower()}" for c in step.choices if c.key in levels]
        other = getattr(capture, step.other_field) if step.other_field else ""
        return [*lines, *([f"Also: {other}"] if other else [])]
    if step.kind == "scale":
        value = getattr(capture, step.field)
        return [] if value is None else [level_words[value]]
    if step.kind == "yesno":
        value = getattr(capture, step.field)
        return [] if value is None else ["Yes" if value else "No"]
    return [", ".join(capture.emotions)] if capture.emotions else []
