"""The quick capture's rules: its data file, parsing one step, saving, resuming, the summary."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from afterglow.journal import capture as rules
from afterglow.journal.models import Capture
from afterglow.lib.datafiles import DataFileError
from tests.journal.course_factories import course, days_ago, session


def form(**values: str | list[str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def step(key: str) -> rules.Step:
    return next(s for s in rules.steps() if s.key == key)


@pytest.fixture
def today_session(patient):
    return session(patient, course(patient), days_ago(0))


def test_it_ships_every_sensation_and_signature_feeling_from_the_brief():
    data = rules.load()
    assert [c.key for c in data.sensations] == [
        "tingling", "numbness", "relaxation", "nausea", "dizziness", "blurred_vision",
        "poor_coordination", "drowsiness", "racing_heart", "headache",
        "chest_pain", "fainting", "severe_headache", "vomiting", "breathing", "confusion", "urination", "other",
    ]  # fmt: skip
    assert [c.key for c in data.signature] == ["lightness", "hope", "love", "worthiness", "connectedness"]
    assert "joy" in data.emotions and "sadness" in data.emotions


def test_it_asks_one_question_per_step_and_covers_every_capture_field():
    written = {name for s in rules.steps() for name in s.model_fields}
    expected = {f.name for f in Capture._meta.get_fields()} - {"id", "owner", "session", "created_at", "updated_at"}
    # The right-now screen asks "how was it" (overall); machine_made is bookkeeping, not a question.
    assert written == expected - {"overall", "machine_made"}
    assert [s.number for s in rules.steps()] == list(range(1, len(rules.steps()) + 1))


def test_it_rejects_a_data_file_with_an_unknown_kind_or_list():
    raw = {"levels": ["a", "b", "c", "d"], "sensations": [{"key": "x", "label": "X"}], "signature": [{"key": "y", "label": "Y"}]}
    raw["emotions"] = ["joy"]
    with pytest.raises(DataFileError, match="unknown kind"):
        rules.parse_data({**raw, "steps": [{"key": "a", "kind": "essay", "question": "?"}]})
    with pytest.raises(DataFileError, match="unknown list"):
        rules.parse_data({**raw, "steps": [{"key": "a", "kind": "intensities", "list": "moods", "question": "?"}]})
    with pytest.raises(DataFileError, match="unknown field"):
        rules.parse_data({**raw, "steps": [{"key": "a", "kind": "text", "field": "colour", "question": "?"}]})


def test_it_parses_sensation_intensities_keyed_by_the_data_file():
    posted = form(**{"sensations-nausea": "2", "sensations-tingling": "0", "sensation_other": " cold "})
    values = rules.parse_step(step("body"), posted)
    assert values == {"sensations": {"tingling": 0, "nausea": 2}, "sensation_other": "cold"}


@pytest.mark.parametrize("bad", ["4", "-1", "two", "2.5"])
def test_it_refuses_an_intensity_outside_zero_to_three(bad):
    with pytest.raises(rules.CaptureError, match="0 \\(none\\) to 3"):
        rules.parse_step(step("body"), form(**{"sensations-nausea": bad}))


def test_it_refuses_a_sensation_that_is_not_on_the_list():
    with pytest.raises(rules.CaptureError, match="not on this list"):
        rules.parse_step(step("body"), form(**{"sensations-sneezing": "1"}))


def test_it_refuses_a_dissociation_of_four_and_an_odd_yes_no():
    with pytest.raises(rules.CaptureError):
        rules.parse_step(step("dissociation"), form(dissociation="4"))
    with pytest.raises(rules.CaptureError):
        rules.parse_step(step("slept"), form(slept="maybe"))
    assert rules.parse_step(step("slept"), form(slept="no")) == {"slept": False}


def test_it_merges_tapped_and_own_emotion_words_once_each():
    values = rules.parse_step(step("emotions"), form(emotion=["joy", "peace"], emotion_other="Awe, joy,  homesick\nJoy"))
    assert values == {"emotions": ["joy", "peace", "Awe", "homesick"]}


def test_it_refuses_an_emotion_that_is_a_paragraph():
    with pytest.raises(rules.CaptureError, match="a word or two"):
        rules.parse_step(step("emotions"), form(emotion_other="x" * 41))


def test_it_creates_the_capture_only_with_the_first_real_answer(today_session):
    assert rules.save_step(today_session, step("first"), {"first_impression": ""}) is None
    assert not Capture.objects.exists()
    capture = rules.save_step(today_session, step("first"), {"first_impression": "Warm and slow"})
    assert capture is not None and capture.first_impression == "Warm and slow"
    assert capture.owner == today_session.owner


def test_it_keeps_earlier_answers_when_a_later_step_is_saved(today_session):
    rules.save_step(today_session, step("first"), {"first_impression": "Quiet"})
    rules.save_step(today_session, step("dissociation"), {"dissociation": 2})
    capture = Capture.objects.get(session=today_session)
    assert capture.first_impression == "Quiet" and capture.dissociation == 2
    assert Capture.objects.count() == 1


def test_it_resumes_at_the_first_unanswered_step(today_session):
    assert rules.first_unanswered(None).key == "first"
    rules.save_step(today_session, step("first"), {"first_impression": "Quiet"})
    rules.save_step(today_session, step("saw"), rules.parse_step(step("saw"), form(saw_colours="violet")))
    rules.save_step(today_session, step("felt"), {"felt": "Heavy arms"})
    capture = Capture.objects.get(session=today_session)
    assert rules.first_unanswered(capture).key == "heard"
    assert rules.answered_count(capture) == 3


def test_it_counts_a_zero_intensity_and_a_no_as_answers(today_session):
    rules.save_step(today_session, step("slept"), {"slept": False})
    rules.save_step(today_session, step("dissociation"), {"dissociation": 0})
    capture = Capture.objects.get(session=today_session)
    assert rules.is_answered(capture, step("slept")) and rules.is_answered(capture, step("dissociation"))


def test_it_finishes_when_every_step_has_an_answer(today_session):
    answers = {
        "first": form(first_impression="a"), "saw": form(saw_people="b"), "heard": form(heard="c"), "felt": form(felt="d"),
        "body": form(**{"sensations-headache": "1"}), "dissociation": form(dissociation="1"), "dreamlike": form(dreamlike="3"),
        "slept": form(slept="yes"), "emotions": form(emotion=["calm"]), "signature": form(**{"signature-hope": "2"}),
        "insights": form(insights="e"),
    }  # fmt: skip
    for s in rules.steps():
        rules.save_step(today_session, s, rules.parse_step(s, answers[s.key]))
    capture = Capture.objects.get(session=today_session)
    assert rules.first_unanswered(capture) is None
    assert capture.signature == {"hope": 2} and capture.slept is True and capture.emotions == ["calm"]


def test_it_describes_answers_in_words_for_the_summary(today_session):
    rules.save_step(today_session, step("body"), {"sensations": {"nausea": 2}, "sensation_other": "cold hands"})
    rules.save_step(today_session, step("slept"), {"slept": True})
    by_key = {a.step.key: a for a in rules.summary(Capture.objects.get(session=today_session))}
    assert by_key["body"].lines == ("Nausea: moderate", "Also: cold hands")
    assert by_key["slept"].lines == ("Yes",)
    assert not by_key["insights"].answered


def test_it_fills_a_shown_again_form_with_what_was_posted():
    posted = rules.posted_values(step("body"), form(**{"sensations-nausea": "4", "sensation_other": "odd"}))
    rows = {r.name: r.value for r in rules.form_rows(step("body"), posted)}
    assert rows["sensations-nausea"] == "4"
    assert rules.extra_text(step("body"), posted) == "odd"
