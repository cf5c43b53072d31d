"""Saving answers to prompts: intentions before a session, entries after it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from afterglow.journal.entries import create_entry, save_text
from afterglow.journal.models import Entry, Intention, Session
from afterglow.prompts.library import Prompt

MAX_INTENTION = 5000


def answers_for(owner: Any, session: Session) -> dict[str, Entry]:
    """The guided entries of a session by prompt key (the latest if there are several)."""
    entries = Entry.objects.filter(owner=owner, session=session, mode=Entry.Mode.GUIDED).order_by("created_at", "id")
    return {e.prompt_id: e for e in entries}


def answer_prompt(owner: Any, session: Session, prompt: Prompt, text: str) -> Entry:
    """One entry per prompt and session; answering again is a new revision, not a new entry."""
    existing = answers_for(owner, session).get(prompt.key)
    if existing is not None:
        save_text(existing, text)
        return existing
    return create_entry(owner, text, session=session, mode=Entry.Mode.GUIDED, prompt_id=prompt.key, prompt_text=prompt.text)


def intentions_for(owner: Any, session: Session) -> list[Intention]:
    return list(Intention.objects.filter(owner=owner, session=session))


def split_intentions(intentions: list[Intention], prompts: list[Prompt]) -> tuple[dict[str, Intention], list[Intention]]:
    """Intentions answering one of `prompts` by prompt key, and the others.

    Others come from prompts no longer offered (a deleted own prompt, a
    reworded pack) or from the CLI (`session add --intention`); they stay editable.
    """
    keys = {p.key for p in prompts}
    matched: dict[str, Intention] = {}
    others = []
    for intention in intentions:
        if intention.prompt_id in keys and intention.prompt_id not in matched:
            matched[intention.prompt_id] = intention
        else:
            others.append(intention)
    return matched, others


def clean_intention(text: str) -> str:
    if len(text) > MAX_INTENTION:
        raise ValidationError(f"An intention can be up to {MAX_INTENTION:,} characters; this one is longer.")
    return text.strip()


@transaction.atomic
def save_intentions(
    owner: Any, session: Session, prompts: list[Prompt], answers: Mapping[str, str], others: Mapping[int, str] | None = None
) -> None:
    """Set the session's intentions from answers keyed by prompt key (and by pk for the others).

    An answer cleared by the patient removes that intention; at least one must remain.
    """
    matched, unmatched = split_intentions(intentions_for(owner, session), prompts)
    cleaned = {p.key: clean_intention(answers.get(p.key, "")) for p in prompts}
    other_text = {i.pk: clean_intention((others or {}).get(i.pk, i.text)) for i in unmatched}
    if not any(cleaned.values()) and not any(other_text.values()):
        raise ValidationError("Write at least one intention — a single line is enough.")
    for prompt in prompts:
        _upsert(owner, session, prompt, cleaned[prompt.key], matched.get(prompt.key))
    for intention in unmatched:
        _set_text(intention, other_text[intention.pk])


def _set_text(intention: Intention, text: str) -> None:
    if not text:
        intention.delete()
    elif intention.text != text:
        intention.text = text
        intention.save(update_fields=["text", "updated_at"])


def _upsert(owner: Any, session: Session, prompt: Prompt, text: str, current: Intention | None) -> None:
    if current is not None:
        _set_text(current, text)
    elif text:
        Intention.objects.create(owner=owner, session=session, prompt_id=prompt.key, prompt_text=prompt.text, text=text)


def clean_fit(raw: str) -> int | None:
    if raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value not in Intention.Fit.values:
        raise ValidationError("Choose how well it fitted from the options given.")
    return value


@transaction.atomic
def save_revisit(intentions: list[Intention], fits: Mapping[int, str], notes: Mapping[int, str]) -> None:
    """After the session: how well each intention was met, and a note. Checked first, then saved."""
    changes = [(i, clean_fit(fits.get(i.pk, "")), clean_intention(notes.get(i.pk, ""))) for i in intentions]
    for intention, fit, note in changes:
        intention.fit, intention.revisit_note = fit, note
        intention.save(update_fields=["fit", "revisit_note", "updated_at"])


@transaction.atomic
def save_evolution(intentions: list[Intention], notes: Mapping[int, str]) -> None:
    changes = [(i, clean_intention(notes[i.pk])) for i in intentions if i.pk in notes]
    for intention, note in changes:
        if intention.evolution_note != note:
            intention.evolution_note = note
            intention.save(update_fields=["evolution_note", "updated_at"])
