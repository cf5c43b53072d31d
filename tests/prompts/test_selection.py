from __future__ import annotations

from types import SimpleNamespace

import pytest

from afterglow.prompts.library import SHIPPED_DIR, load_library
from afterglow.prompts.models import OwnPrompt
from afterglow.prompts.selection import intention_prompts, prompts_for_session, with_own

LIB = load_library([SHIPPED_DIR])


def course(programme: str = "") -> SimpleNamespace:
    return SimpleNamespace(programme=programme)


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, 6])
def test_a_programme_course_gets_the_set_for_session_n(number):
    chosen = prompts_for_session(course("six-session"), number, LIB)
    assert chosen.pack.id == "six-session"
    assert [g.number for g in chosen.groups] == [number]
    assert all(p.id.startswith(f"s{number}-") for p in chosen.prompts)


def test_session_three_of_the_programme_is_about_lifestyle():
    assert prompts_for_session(course("six-session"), 3, LIB).groups[0].title == "Lifestyle"


def test_beyond_the_programme_it_falls_back_to_three_stages():
    chosen = prompts_for_session(course("six-session"), 7, LIB)
    assert chosen.pack.id == "three-stage"
    assert [g.id for g in chosen.groups] == ["recall", "reflection", "action"]


def test_a_course_without_programme_gets_three_stages():
    assert prompts_for_session(course(""), 2, LIB).pack.id == "three-stage"


def test_no_course_at_all_gets_three_stages():
    assert prompts_for_session(None, 1, LIB).pack.id == "three-stage"


def test_a_three_stage_course_gets_all_three_stages_for_any_session():
    assert len(prompts_for_session(course("three-stage"), 9, LIB).groups) == 3


def test_a_programme_whose_pack_is_not_installed_falls_back_to_three_stages():
    assert prompts_for_session(course("gone-pack"), 1, LIB).pack.id == "three-stage"


def own(stage: str, pk: int, text: str = "My question?") -> OwnPrompt:
    return OwnPrompt(pk=pk, stage=stage, text=text)


def test_own_prompts_join_the_stage_they_were_written_for():
    chosen = with_own(prompts_for_session(None, 1, LIB), [own("reflection", 5), own("action", 6)])
    reflection, action = chosen.groups[1], chosen.groups[2]
    assert reflection.prompts[-1].key == "own/5"
    assert action.prompts[-1].key == "own/6" and action.prompts[-1].action


def test_own_prompts_follow_a_programme_set_in_a_group_of_their_own():
    chosen = with_own(prompts_for_session(course("six-session"), 2, LIB), [own("recall", 5)])
    assert chosen.groups[-1].title == "Your own prompts"
    assert chosen.find("own/5") is not None


def test_own_intention_prompts_appear_only_with_intentions():
    own_prompts = [own("before", 1), own("recall", 2)]
    intention = with_own(intention_prompts(LIB), own_prompts)
    after = with_own(prompts_for_session(None, 1, LIB), own_prompts)
    assert intention.find("own/1") and not intention.find("own/2")
    assert after.find("own/2") and not after.find("own/1")
