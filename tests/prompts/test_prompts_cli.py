from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> str:
    out = StringIO()
    call_command("prompts", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_lists_the_installed_packs():
    out = run()
    assert "six-session" in out and "three-stage" in out and "30 prompts" in out


def test_it_prints_one_packs_prompts_marking_actions():
    out = run("three-stage")
    assert "three-stage/small-step (action)" in out
    assert "three-stage/emotion  Which feeling" in out


def test_check_names_a_broken_pack_file_and_exits_2(settings, tmp_path):
    settings.HOME = tmp_path
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "mine.toml").write_text('id = "mine"\nversion = "one"\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"mine\.toml: version must be a whole number") as exc:
        run("--check")
    assert exc.value.returncode == 2


def test_an_unknown_pack_is_one_clear_line():
    with pytest.raises(CommandError, match="no pack called 'nope'"):
        run("nope")


@pytest.mark.parametrize("make", [lambda p: p.symlink_to("/dev/zero"), lambda p: __import__("os").mkfifo(p)])
def test_check_names_a_device_or_pipe_in_the_packs_folder_instead_of_reading_it(settings, tmp_path, make):
    settings.HOME = tmp_path
    (tmp_path / "packs").mkdir()
    make(tmp_path / "packs" / "odd.toml")  # /dev/zero used to be read without end; a pipe waited forever
    with pytest.raises(CommandError, match=r"odd\.toml: this is a device or other special file") as exc:
        run("--check")
    assert exc.value.returncode == 2
