from __future__ import annotations

import io

import pytest

from afterglow.measures.models import MeasureResponse
from tests.cli.verbs import refused, run


def test_it_scores_answers_given_at_once(patient):
    out = run("measure", "phq9", "--answers", "1,1,1,1,1,1,2,2,0")
    assert out.splitlines()[0] == "PHQ-9: 10 out of 27 — Moderate"
    assert MeasureResponse.objects.get().answers == {
        str(n): v for n, v in zip(range(1, 10), [1, 1, 1, 1, 1, 1, 2, 2, 0], strict=True)
    }


def test_item_9_above_zero_prints_the_crisis_lines_first(patient):
    out = run("measure", "phq9", "--answers", "0,0,0,0,0,0,0,0,1")
    lines = out.splitlines()
    assert "988" in lines[2] and "Call or text 988" in lines[2]
    assert any("Emergency: call 911" in line for line in lines)
    assert out.index("988") < out.index("PHQ-9: 1 out of 27")


def test_a_skipped_item_9_is_unknown_and_there_is_no_total(patient):
    out = run("measure", "phq9", "--answers", "0,0,0,0,0,0,0,0,-")
    assert "no total" in out and "Question 9 was not answered" in out and "988" not in out


def test_pcl5_reports_the_cutoff_and_pattern(patient):
    out = run("measure", "pcl5", "--answers", ",".join(["2"] * 20))
    assert "PCL-5: 40 out of 80" in out and "at or above 33" in out and "matches the DSM-5" in out


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ("0,1,2,3,0,1,2,3,0,1", "has 9 questions; --answers gave 10"),
        ("0,1,2,4,0,1,2,3,0", "not “4”"),
        ("a,b,c,d,e,f,g,h,i", "not “a”"),
    ],
)
def test_bad_answers_are_refused_in_one_line(patient, answers, words):
    assert words in refused("measure", "phq9", "--answers", answers)
    assert not MeasureResponse.objects.exists()


def test_it_asks_item_by_item_and_asks_again_after_a_bad_answer(patient, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n9\n2\n\n0\n0\n0\n0\n0\n3\n"))
    out = run("measure", "phq9")
    assert "takes an answer from 0 to 3, not “9”" in out
    assert MeasureResponse.objects.get().answers == {"1": 1, "2": 2, "4": 0, "5": 0, "6": 0, "7": 0, "8": 0, "9": 3}
    # The crisis lines come at item 9 itself, and again before the (missing) total.
    assert out.index("988") < out.index("PHQ-9: 8 of 9")


def test_a_real_process_prints_help_first_and_refuses_bad_input_in_one_line(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    program = Path(sys.executable).with_name("afterglow")
    from tests.settings_test import program_env

    env = dict(os.environ, AFTERGLOW_HOME=str(tmp_path / "home"), AFTERGLOW_PASSPHRASE="a quiet lake at dawn")
    for name in ("DJANGO_SETTINGS_MODULE", "AFTERGLOW_TESTING", "AFTERGLOW_CRISIS_REGION"):
        env.pop(name, None)
    env = program_env(env)
    env["LANG"] = "en_AU.UTF-8"
    subprocess.run([program, "init"], env=env, check=True, capture_output=True, timeout=60)

    done = subprocess.run(
        [program, "measure", "phq9", "--answers", "1,1,1,1,1,1,1,1,2"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.index("Lifeline: Call 13 11 14") < done.stdout.index("PHQ-9: 10 out of 27")
    assert "Emergency: call 000." in done.stdout

    bad = subprocess.run(
        [program, "measure", "phq9", "--answers", "1,1,1,4,1,1,1,1,0"], env=env, capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr and "not “4”" in bad.stderr


def test_a_low_total_with_item_9_above_zero_is_not_called_remission(patient):
    out = run("measure", "phq9", "--answers", "0,0,0,0,0,0,0,0,1")
    assert "remission" not in out
    assert "Talk to your clinician" in out
    assert "remission" in run("measure", "phq9", "--answers", "0,0,0,0,0,0,0,1,0")


def test_an_endless_line_on_stdin_is_refused_not_read_forever(patient, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("0" * 5000))  # `< /dev/zero` used to grow without limit
    assert "at most 1000 characters" in refused("measure", "gad7")
    assert not MeasureResponse.objects.exists()
