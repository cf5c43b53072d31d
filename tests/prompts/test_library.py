from __future__ import annotations

from pathlib import Path

import pytest

from afterglow.prompts.library import SHIPPED_DIR, PackError, load_library, load_pack

GOOD = """
id = "{pack_id}"
version = 2
title = "A small pack"
kind = "stages"

[[stages]]
id = "one"
title = "One"

[[stages.prompts]]
id = "q1"
text = "What did you notice?"

[[stages.prompts]]
id = "q2"
text = "What will you try?"
action = true
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_loads_every_shipped_pack():
    lib = load_library([SHIPPED_DIR])
    assert set(lib.packs) == {"intention", "three-stage", "six-session", "practices"}
    assert lib.problems == []


def test_it_ships_the_six_session_programme_in_order_ending_with_a_letter():
    pack = load_library([SHIPPED_DIR])["six-session"]
    assert [g.number for g in pack.groups] == [1, 2, 3, 4, 5, 6]
    assert "letter" in pack.session(6).prompts[-1].text.lower()
    assert pack.session(7) is None


def test_it_ships_three_stages_with_action_prompts_only_in_the_action_stage():
    pack = load_library([SHIPPED_DIR])["three-stage"]
    assert [g.id for g in pack.groups] == ["recall", "reflection", "action"]
    assert all(p.action for p in pack.groups[2].prompts)
    assert not any(p.action for g in pack.groups[:2] for p in g.prompts)


def test_it_keys_prompts_by_pack_and_id():
    pack = load_library([SHIPPED_DIR])["intention"]
    assert pack.prompts[0].key == "intention/hope"


def test_it_loads_a_dropped_in_pack(tmp_path):
    write(tmp_path / "user", "mine.toml", GOOD.format(pack_id="mine"))
    lib = load_library([SHIPPED_DIR, tmp_path / "user"])
    assert lib["mine"].version == 2
    assert [p.action for p in lib["mine"].prompts] == [False, True]


def test_a_dropped_in_pack_with_a_shipped_id_replaces_it(tmp_path):
    write(tmp_path / "user", "clinic.toml", GOOD.format(pack_id="three-stage"))
    lib = load_library([SHIPPED_DIR, tmp_path / "user"])
    assert lib["three-stage"].title == "A small pack"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("id = [", "not valid TOML"),
        (GOOD.format(pack_id="Bad Id"), "pack id"),
        (GOOD.format(pack_id="x").replace("version = 2", "version = 0"), "version"),
        (GOOD.format(pack_id="x").replace('kind = "stages"', 'kind = "poems"'), "kind"),
        (GOOD.format(pack_id="x").replace('id = "q2"', 'id = "q1"'), "used twice"),
        (GOOD.format(pack_id="x").replace('text = "What did you notice?"', 'text = ""'), "text is missing"),
        (GOOD.format(pack_id="x").replace("action = true", "acton = true"), "unknown key 'acton'"),
        (GOOD.format(pack_id="x").replace("action = true", 'action = "yes"'), "true or false"),
        (GOOD.format(pack_id="x").replace('title = "A small pack"\n', ""), "title is missing"),
    ],
)
def test_it_rejects_a_broken_pack_naming_the_file(tmp_path, text, problem):
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(PackError) as exc:
        load_pack(path)
    assert str(path) in str(exc.value)
    assert problem in str(exc.value)


def test_it_rejects_a_programme_with_sessions_out_of_order(tmp_path):
    text = """
id = "prog"
version = 1
title = "P"
kind = "programme"
[[sessions]]
number = 2
title = "Two"
[[sessions.prompts]]
id = "a"
text = "A?"
"""
    with pytest.raises(PackError, match="numbered 1, 2, 3"):
        load_pack(write(tmp_path, "prog.toml", text))


def test_a_broken_dropped_in_pack_is_skipped_and_reported_not_fatal(tmp_path):
    write(tmp_path / "user", "good.toml", GOOD.format(pack_id="good"))
    bad = write(tmp_path / "user", "bad.toml", "id = [")
    lib = load_library([SHIPPED_DIR, tmp_path / "user"])
    assert "good" in lib.packs
    assert len(lib.problems) == 1 and str(bad) in lib.problems[0]


def test_strict_loading_fails_on_a_broken_dropped_in_pack(tmp_path):
    write(tmp_path / "user", "bad.toml", "id = [")
    with pytest.raises(PackError, match=r"bad\.toml"):
        load_library([SHIPPED_DIR, tmp_path / "user"], strict=True)


def test_two_files_with_the_same_pack_id_are_refused(tmp_path):
    write(tmp_path / "user", "a.toml", GOOD.format(pack_id="same"))
    write(tmp_path / "user", "b.toml", GOOD.format(pack_id="same"))
    with pytest.raises(PackError, match=r"b\.toml: pack id 'same' is already used by a\.toml"):
        load_library([SHIPPED_DIR, tmp_path / "user"], strict=True)


def test_a_broken_shipped_pack_is_an_error_not_a_silent_skip(tmp_path):
    write(tmp_path / "shipped", "broken.toml", "id = [")
    with pytest.raises(PackError, match=r"broken\.toml"):
        load_library([tmp_path / "shipped"])


def test_the_library_picks_up_a_pack_dropped_into_the_data_dir(settings, tmp_path):
    from afterglow.prompts.library import library

    settings.HOME = tmp_path
    assert "late" not in library().packs
    write(tmp_path / "packs", "late.toml", GOOD.format(pack_id="late"))
    assert "late" in library().packs
