"""Starring key moments, listing them by session, and the one brought back on the Today page now and then."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from afterglow.journal import capture as capture_steps
from afterglow.journal.capture import Step
from afterglow.journal.models import Capture, Entry, Session
from afterglow.moments.models import Star
from afterglow.preferences.store import Store


def answer_steps() -> dict[str, Step]:
    """The capture answers that can be starred, by step key: the steps with free text."""
    return {step.key: step for step in capture_steps.steps() if step.text_fields}


def answer_text(capture: Capture, step: Step) -> str:
    return "\n".join(text for name in step.text_fields if (text := str(getattr(capture, name, "") or "").strip()))


# A moment comes back on Today on about one day in EVERY, and only once it is this many days old.
EVERY = 3
MIN_AGE_DAYS = 14
SECTION, KEY = "moments", "bring_back"


def set_star(owner: Any, *, entry: Entry | None = None, capture: Capture | None = None, answer: str = "", on: bool) -> bool:
    """Star or unstar; saying the same twice is no error. Returns whether it is starred now."""
    target = {"entry": entry} if entry is not None else {"capture": capture, "answer": answer}
    if not on:
        Star.objects.filter(owner=owner, **target).delete()
        return False
    try:
        with transaction.atomic():
            Star.objects.get_or_create(owner=owner, **target)
    except IntegrityError:  # two taps raced; the other made it
        pass
    return True


@dataclass(frozen=True)
class Moment:
    star: Star
    when: datetime
    session: Session | None
    kind: str  # "wrote", "drew", "recorded", "photographed", "noted"
    what: str  # a heading: an entry's title or prompt, or the capture question
    text: str
    href: str


def _moment(star: Star) -> Moment | None:
    if star.entry is not None:
        e = star.entry
        verb = {"drawing": "drew", "image": "kept a photo", "voice": "said"}.get(e.mode, "wrote")
        return Moment(star, e.created_at, e.session, verb, e.title or e.prompt_text, e.text, reverse("entry", args=[e.pk]))
    step = answer_steps().get(star.answer)
    if star.capture is not None and step is not None:
        c = star.capture
        href = reverse("capture_summary", args=[c.session_id])
        return Moment(star, c.session.started_at, c.session, "noted", step.question, answer_text(c, step), href)
    return None


def moments(owner: Any) -> list[Moment]:
    rows = Star.objects.filter(owner=owner).select_related("entry", "entry__session", "capture", "capture__session")
    found = [m for m in (_moment(s) for s in rows) if m is not None]
    return sorted(found, key=lambda m: m.when, reverse=True)


@dataclass(frozen=True)
class Group:
    session: Session | None
    moments: list[Moment]


def by_session(owner: Any) -> list[Group]:
    """Newest session first; moments not tied to a session last."""
    groups: dict[int | None, list[Moment]] = {}
    sessions: dict[int | None, Session | None] = {None: None}
    for m in moments(owner):
        key = m.session.pk if m.session else None
        sessions[key] = m.session
        groups.setdefault(key, []).append(m)
    order = sorted((k for k in groups if k is not None), key=lambda k: sessions[k].started_at, reverse=True)  # type: ignore[union-attr]
    return [Group(sessions[k], groups[k]) for k in [*order, *([None] if None in groups else [])]]


def _roll(owner: Any, day: date) -> int:
    return int.from_bytes(hashlib.sha256(f"{owner.pk}:{day.isoformat()}".encode()).digest()[:8], "big")


def moment_for(owner: Any, day: date) -> Moment | None:
    """The one moment Today brings back on `day`, or None: the same all day, on about one day in EVERY."""
    roll = _roll(owner, day)
    if roll % EVERY:
        return None
    old = [m for m in moments(owner) if (day - timezone.localdate(m.when)).days >= MIN_AGE_DAYS and m.text.strip()]
    if not old:
        return None
    old.sort(key=lambda m: m.star.pk)
    return old[(roll // EVERY) % len(old)]


def ago(then: date, day: date) -> str:
    """'A month ago' and the like: rough on purpose."""
    days = (day - then).days
    if days < 21:
        return "Two weeks ago" if days >= 14 else f"{days} days ago"
    if days < 45:
        return "A month ago"
    if days < 330:
        return f"{round(days / 30.4)} months ago"
    if days < 545:
        return "A year ago"
    return f"{round(days / 365.25)} years ago"


def bring_back(prefs: Store) -> bool:
    """Whether Today may bring back a key moment now and then (on unless turned off in Settings)."""
    return bool(prefs.get(SECTION, KEY, True))


def set_bring_back(prefs: Store, on: bool) -> None:
    prefs.update(SECTION, {KEY: on})
