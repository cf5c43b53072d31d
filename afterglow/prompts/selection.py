"""Which prompts fit a session: plain rules, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from afterglow.prompts.library import Group, Library, Pack, Prompt, library

if TYPE_CHECKING:
    from afterglow.prompts.models import OwnPrompt


class Course(Protocol):
    """What the rules read of a journal course (the journal sits above prompts and is not imported here)."""

    @property
    def programme(self) -> str: ...


THREE_STAGE = "three-stage"
INTENTION = "intention"
PRACTICES = "practices"
OWN_GROUP_TITLE = "Your own prompts"


@dataclass(frozen=True)
class PromptSet:
    pack: Pack
    groups: tuple[Group, ...]

    @property
    def prompts(self) -> tuple[Prompt, ...]:
        return tuple(p for g in self.groups for p in g.prompts)

    def find(self, key: str) -> Prompt | None:
        return next((p for p in self.prompts if p.key == key), None)


def prompts_for_session(course: Course | None, session_number: int, lib: Library | None = None) -> PromptSet:
    """The post-session prompts for session N of a course.

    A programme course gets its set for session N. Past the end of the
    programme (booster or maintenance sessions) the general three-stage set
    fits better than repeating the closing letter, so it falls back to that;
    so does a course without a programme or with a pack that is not installed.
    """
    lib = lib or library()
    pack = lib.get(course.programme) if course and course.programme else None
    if pack is not None and pack.kind == "programme":
        group = pack.session(session_number)
        if group is not None:
            return PromptSet(pack, (group,))
    elif pack is not None and pack.kind == "stages":
        return PromptSet(pack, pack.groups)
    fallback = lib[THREE_STAGE]
    return PromptSet(fallback, fallback.groups)


def intention_prompts(lib: Library | None = None) -> PromptSet:
    pack = (lib or library())[INTENTION]
    return PromptSet(pack, pack.groups)


def practices(lib: Library | None = None) -> tuple[Prompt, ...]:
    return (lib or library())[PRACTICES].prompts


def with_own(prompt_set: PromptSet, own: Iterable[OwnPrompt]) -> PromptSet:
    """The set with the patient's own prompts added to the stage they chose.

    Own prompts whose stage the set does not have (e.g. a programme's session
    set) are gathered in one extra group at the end.
    """
    by_stage: dict[str, list[Prompt]] = {}
    for item in own:
        by_stage.setdefault(item.stage, []).append(item.as_prompt())
    groups = [Group(g.id, g.title, g.prompts + tuple(by_stage.pop(g.id, ())), g.intro, g.number) for g in prompt_set.groups]
    leftover = tuple(p for stage in ("recall", "reflection", "action") for p in by_stage.get(stage, ()))
    if leftover and prompt_set.pack.kind != "intention":
        groups.append(Group("own", OWN_GROUP_TITLE, leftover))
    return PromptSet(prompt_set.pack, tuple(groups))
