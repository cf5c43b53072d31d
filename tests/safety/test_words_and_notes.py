from __future__ import annotations

import pytest

from afterglow.preferences.store import local
from afterglow.safety import preferences
from afterglow.safety.words import suggests_crisis
from tests.conftest import csrf_post
from tests.journal import course_factories as make

NOTE = "you do not have to hold it alone"


@pytest.mark.parametrize(
    "text",
    [
        "Some days I want to die.",
        "I thought about SUICIDE again",
        "better off  dead",
        "I can’t go on like this",
        "I don't want to be here anymore",
    ],
)
def test_it_notices_words_from_the_list(text):
    assert suggests_crisis(text)


@pytest.mark.parametrize(
    "text", ["", "The dye was blue", "A killer workout", "I'm dying to see the garden bloom", "my self-harmony practice"]
)
def test_it_leaves_ordinary_writing_alone(text):
    assert not suggests_crisis(text)


def test_saving_an_entry_with_crisis_words_brings_a_quiet_note(client, patient):
    response = csrf_post(client, "/write", {"text": "Tonight I feel like I want to die.", "then": "finish"}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and NOTE in body
    assert 'class="gentle-note"' in body and 'href="/help"' in body and 'href="/safety-plan"' in body
    assert "Dismiss" in body


def test_ordinary_writing_brings_no_note(client, patient):
    body = csrf_post(client, "/write", {"text": "A slow, kind morning.", "then": "finish"}, follow=True).content.decode()
    assert NOTE not in body


def test_the_note_can_be_switched_off(client, patient):
    preferences.set_gentle_notes(local(), False)
    body = csrf_post(client, "/write", {"text": "I want to die.", "then": "finish"}, follow=True).content.decode()
    assert NOTE not in body


def test_a_reflection_with_crisis_words_brings_the_note_and_is_saved_as_usual(client, patient):
    from afterglow.journal.models import Entry
    from afterglow.prompts.selection import prompts_for_session

    c = make.course(patient, programme="three-stage")
    s = make.session(patient, c, make.days_ago(1))
    prompt = prompts_for_session(c, s.number).groups[0].prompts[0]
    response = csrf_post(
        client, f"/sessions/{s.pk}/reflect", {"prompt": prompt.key, "text": "No reason to live, it felt."}, follow=True
    )
    assert NOTE in response.content.decode()
    assert Entry.objects.get().text == "No reason to live, it felt."
