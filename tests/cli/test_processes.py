"""A few real `afterglow` processes: exit codes, one-line errors, stdin and $EDITOR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.settings_test import program_env

AFTERGLOW = Path(sys.executable).with_name("afterglow")
PASSPHRASE = "a quiet lake at dawn"


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    values = dict(os.environ, AFTERGLOW_HOME=str(home), AFTERGLOW_PASSPHRASE=PASSPHRASE)
    for name in ("DJANGO_SETTINGS_MODULE", "AFTERGLOW_TESTING", "VISUAL", "EDITOR", "NO_COLOR"):
        values.pop(name, None)
    values = program_env(values)
    subprocess.run([AFTERGLOW, "init"], env=values, check=True, capture_output=True)
    return values


def afterglow(env: dict[str, str], *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([AFTERGLOW, *args], env=env, input=stdin, capture_output=True, timeout=60)


def assert_one_line_refusal(result: subprocess.CompletedProcess, words: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == 2
    assert err.count("\n") == 1 and err.startswith("afterglow")
    assert "Traceback" not in err and words in err
    assert result.stdout == b""


def test_it_saves_text_piped_on_stdin_and_lists_it(env):
    saved = afterglow(env, "write", stdin="Piped in, with ünïcode\n".encode())
    assert saved.returncode == 0, saved.stderr
    listed = afterglow(env, "list", "-n", "1")
    assert listed.stdout.decode().rstrip().endswith("Piped in, with ünïcode")


def test_it_searches_as_json_in_a_pipe(env):
    afterglow(env, "write", "the kestrel hovered over the field")
    result = afterglow(env, "search", "kestrel", "--json")
    (hit,) = json.loads(result.stdout)
    assert "[kestrel]" in hit["snippet"]


def test_it_refuses_bytes_that_are_not_utf8(env):
    assert_one_line_refusal(afterglow(env, "write", stdin=b"caf\xe9 latin-1"), "not UTF-8")


def test_it_refuses_five_megabytes_on_stdin(env):
    assert_one_line_refusal(afterglow(env, "write", stdin=b"a" * 5_000_000), "too long")


def test_it_refuses_bad_input_in_one_line(env):
    assert_one_line_refusal(afterglow(env, "checkin", "--mood", "11"), "1 to 10")
    assert_one_line_refusal(afterglow(env, "session", "add", "--date", "2025-02-29"), "not a day")
    assert_one_line_refusal(afterglow(env, "write", "hello", "--session", "99"), "no session 99")
    assert_one_line_refusal(afterglow(env, "session", "add", "--route", "iv"), "--date")


def test_it_writes_with_the_editor_in_a_private_file_it_removes(env, tmp_path):
    editor = tmp_path / "editor.sh"
    seen = tmp_path / "seen"
    editor.write_text(
        "#!/bin/sh\n"
        f'stat -c "%a $1" "$1" > {seen}\n'
        f'stat -c "%a" "$(dirname "$1")" >> {seen}\n'
        'printf "Written in the editor\\n" > "$1"\n'
    )
    editor.chmod(0o700)
    primary, secondary = os.openpty()  # a terminal on stdin is what makes `write` open the editor
    try:
        result = subprocess.run(
            [AFTERGLOW, "write"], env={**env, "EDITOR": str(editor)}, stdin=secondary, capture_output=True, timeout=60
        )
    finally:
        os.close(primary)
        os.close(secondary)
    assert result.returncode == 0, result.stderr
    file_line, folder_mode = seen.read_text().splitlines()
    mode, path = file_line.split(" ", 1)
    assert (mode, folder_mode) == ("600", "700")
    assert not Path(path).exists() and not Path(path).parent.exists()
    listed = afterglow(env, "list", "-n", "1")
    assert listed.stdout.decode().rstrip().endswith("Written in the editor")
