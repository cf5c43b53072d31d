"""Absurd numbers and odd values on the command line get one clear line, never "something went wrong"."""

from __future__ import annotations

import re
import subprocess
import time

import pytest
from django.core.management.base import CommandError

from afterglow.measures.models import MeasureResponse
from afterglow.pages.management.commands.serve import listening_port
from afterglow.web.cli import glue_values
from tests.cli.verbs import refused, run
from tests.vault.conftest import AFTERGLOW, _initialised_template, cli_env, home  # noqa: F401
from tests.webclient import Client, free_port

HUGE = "99999999999999999999999"  # past SQLite's 64-bit integers


def test_a_huge_count_lists_everything_there_is(patient):
    run("write", "first words")
    run("write", "second words")
    assert len(run("list", "-n", HUGE).splitlines()) == 2
    assert "[first] words" in run("search", "first", "--limit", HUGE)


def test_a_huge_session_number_is_no_such_session(patient):
    run("session", "add", "--date", "2025-03-14")
    assert "There is no session" in refused("list", "--session", HUGE)
    assert "There is no session" in refused("write", "words", "--session", HUGE)


def test_answers_may_start_with_a_skipped_question(patient):
    out = run("measure", "phq9", "--answers", "-,1,1,1,1,1,1,1,0")
    assert "8 of 9 questions answered" in out
    assert MeasureResponse.objects.get().answer_map() == {n: 1 for n in range(2, 9)} | {9: 0}


def test_gluing_only_touches_the_named_option():
    assert glue_values(["phq9", "--answers", "-,1", "--other", "-x"], ["--answers"]) == ["phq9", "--answers=-,1", "--other", "-x"]
    assert glue_values(["--answers"], ["--answers"]) == ["--answers"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["worker", "--interval", "nan"], "outside 0.1 to 3600"),
        (["worker", "--interval", "-1"], "outside 0.1 to 3600"),
        (["serve", "--threads", "0"], "outside 1 to 64"),
        (["serve", "--port", "99999"], "outside 1 to 65535"),
        (["serve", "--port", "http"], "not a whole number"),
    ],
)
def test_numbers_out_of_range_are_refused_before_anything_starts(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_serve_refuses_a_port_past_65535_in_one_line(tmp_path):
    command = [*AFTERGLOW, "serve", "--no-browser", "--port", "99999"]
    result = subprocess.run(command, env=cli_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == ["afterglow serve: argument --port: 99999 is outside 1 to 65535"]


class FakeServer:
    effective_port = 40123


def test_the_printed_port_is_the_one_the_socket_is_bound_to():
    assert listening_port(FakeServer(), 8765) == 40123
    assert listening_port(type("Multi", (), {"effective_listen": [("::1", 40124)]})(), 8765) == 40124


def test_serve_prints_a_url_that_answers(home):  # noqa: F811  (the fixture imported above)
    port = free_port()
    server = subprocess.Popen(
        [*AFTERGLOW, "serve", "--no-browser", "--port", str(port)], env=cli_env(home), stdout=subprocess.PIPE, text=True
    )
    try:
        line = server.stdout.readline()
        url = re.search(r"http://[^/\s]+:(\d+)/", line)
        assert url and int(url[1]) == port, line
        for _ in range(100):
            try:
                assert b"ok" in Client(url[0].rstrip("/")).get("/healthz").lower()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("nothing answered at the printed URL")
    finally:
        server.terminate()
        server.wait(10)


def test_a_check_in_note_from_the_cli_has_the_web_forms_limit(patient):
    assert "keep it under 5000 characters" in refused("checkin", "--mood", "5", "--note", "x" * 5001)


def test_an_empty_file_name_asks_for_one(patient):
    assert "Give the file of the recording" in refused("voice", "add", "")
    assert "Give the file of the photo" in refused("image", "add", " ")


@pytest.mark.parametrize("host", ["", "999.1.1.1", "not a host"])
def test_serve_refuses_a_host_it_cannot_listen_on_in_one_line(tmp_path, host):
    command = [*AFTERGLOW, "serve", "--no-browser", "--host", host, "--port", str(free_port())]
    result = subprocess.run(command, env=cli_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "is not an address this computer can listen on" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
