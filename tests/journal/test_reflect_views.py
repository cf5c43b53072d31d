from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from afterglow.journal.models import Entry, EntryRevision, IntegrationAction
from tests.prompts.helpers import make_course, make_session, stranger, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(patient):
    return make_session(make_course(patient))


def url(session) -> str:
    return f"/sessions/{session.pk}/reflect"


def test_a_course_without_programme_shows_the_three_stage_prompts(client, session):
    body = client.get(url(session)).content.decode()
    assert "Recall" in body and "Reflection" in body and "Action" in body
    assert "Which feeling is closest to the surface right now?" in body


def test_a_programme_course_shows_the_set_for_that_session(client, patient):
    course = make_course(patient, programme="six-session")
    make_session(course)
    make_session(course, 7)
    third = make_session(course, 14)
    body = client.get(url(third)).content.decode()
    assert third.number == 3
    assert "Lifestyle" in body and "Awareness and connection" not in body


def test_it_saves_an_answer_as_a_guided_entry_linked_to_the_session(client, patient, session):
    response = submit(client, url(session), {"prompt": "three-stage/emotion", "text": "Relief, mostly."})
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.owner, entry.session, entry.mode) == (patient, session, Entry.Mode.GUIDED)
    assert entry.prompt_id == "three-stage/emotion"
    assert entry.prompt_text == "Which feeling is closest to the surface right now?"
    assert entry.revisions.count() == 1


def test_answering_again_revises_the_same_entry(client, session):
    submit(client, url(session), {"prompt": "three-stage/emotion", "text": "Relief"})
    submit(client, url(session), {"prompt": "three-stage/emotion", "text": "Relief, and some sadness"})
    assert Entry.objects.get().text == "Relief, and some sadness"
    assert EntryRevision.objects.count() == 2


def test_a_plain_save_stores_the_form_s_crlf_as_lf_like_autosave(client, session):
    # A form sent without script carries CRLF; the answer is kept as the autosave would keep it.
    submit(client, url(session), {"prompt": "three-stage/emotion", "text": "Relief\r\nand some sadness"})
    entry = Entry.objects.get()
    assert entry.text == entry.revisions.get().text == "Relief\nand some sadness"


def test_an_empty_answer_is_refused_and_the_page_comes_back(client, session):
    response = submit(client, url(session), {"prompt": "three-stage/emotion", "text": "   "})
    assert response.status_code == 422
    assert "nothing to save yet" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_too_long_answer_keeps_what_was_typed(client, session, settings):
    settings.ENTRY_MAX_CHARS = 50
    typed = "A long answer that goes on and on " * 3
    response = submit(client, url(session), {"prompt": "three-stage/theme", "text": typed})
    assert response.status_code == 422
    assert typed.strip() in response.content.decode()
    assert not Entry.objects.exists()


def test_a_prompt_not_in_this_sessions_set_is_refused(client, session):
    response = submit(client, url(session), {"prompt": "six-session/s1-fit", "text": "Hello"})
    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_an_answer_to_an_action_prompt_offers_to_become_an_action(client, session):
    submit(client, url(session), {"prompt": "three-stage/small-step", "text": "Call my brother"})
    submit(client, url(session), {"prompt": "three-stage/emotion", "text": "Calm"})
    body = client.get(url(session)).content.decode()
    assert body.count("Make this an integration action") == 1
    assert 'value="Call my brother"' in body


def test_it_turns_an_answer_into_an_action_linked_to_entry_and_session(client, patient, session):
    submit(client, url(session), {"prompt": "three-stage/small-step", "text": "Call my brother"})
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = submit(
        client,
        f"{url(session)}/action",
        {"prompt": "three-stage/small-step", "what": "Call my brother on Sunday", "due": due},
        page=url(session),
    )
    assert response.status_code == 302
    action = IntegrationAction.objects.get()
    assert (action.owner, action.session, action.entry) == (patient, session, Entry.objects.get())
    assert action.what == "Call my brother on Sunday" and action.due.isoformat() == due
    assert "Call my brother on Sunday" in client.get(url(session)).content.decode()


@pytest.mark.parametrize(
    ("due", "message"),
    [("2026-02-30", "does not exist on the calendar"), ("2001-01-01", "already passed")],
)
def test_an_impossible_due_date_keeps_what_was_typed(client, session, due, message):
    submit(client, url(session), {"prompt": "three-stage/small-step", "text": "Walk"})
    data = {"prompt": "three-stage/small-step", "what": "Walk by the river", "due": due}
    response = submit(client, f"{url(session)}/action", data, page=url(session))
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body and 'value="Walk by the river"' in body and f'value="{due}"' in body
    assert not IntegrationAction.objects.exists()


def test_an_empty_action_is_refused(client, session):
    submit(client, url(session), {"prompt": "three-stage/small-step", "text": "Walk"})
    response = submit(client, f"{url(session)}/action", {"prompt": "three-stage/small-step", "what": " "}, page=url(session))
    assert response.status_code == 422
    assert not IntegrationAction.objects.exists()


def test_a_non_action_prompt_cannot_become_an_action(client, session):
    submit(client, url(session), {"prompt": "three-stage/emotion", "text": "Calm"})
    response = submit(client, f"{url(session)}/action", {"prompt": "three-stage/emotion", "what": "Be calm"}, page=url(session))
    assert response.status_code == 400
    assert not IntegrationAction.objects.exists()


def test_a_session_that_does_not_exist_is_a_404(client, session):
    assert client.get(f"/sessions/{session.pk + 50}/reflect").status_code == 404


def test_someone_elses_session_is_a_404_and_nothing_is_saved(client, session):
    other = make_session(make_course(stranger()))
    assert client.get(url(other)).status_code == 404
    response = submit(client, url(other), {"prompt": "three-stage/emotion", "text": "x"}, page=url(session))
    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_own_prompts_are_offered_and_answerable(client, patient, session):
    from afterglow.prompts.models import OwnPrompt

    mine = OwnPrompt.objects.create(owner=patient, stage="action", text="What will I tell my therapist?")
    assert "What will I tell my therapist?" in client.get(url(session)).content.decode()
    submit(client, url(session), {"prompt": f"own/{mine.pk}", "text": "About the lake"})
    assert Entry.objects.get().prompt_text == "What will I tell my therapist?"


def test_saving_one_answer_keeps_and_saves_the_others_typed_on_the_page(client, session):
    typed = {"answer:three-stage/first": "The blue", "answer:three-stage/felt": "Warm hands", "answer:three-stage/saw": ""}
    response = submit(client, url(session), {**typed, "save": "three-stage/first"})
    assert response.status_code == 302 and response["Location"].endswith("#a-three-stage--first")
    assert sorted(Entry.objects.values_list("text", flat=True)) == ["The blue", "Warm hands"]


def test_an_unchanged_answer_is_not_saved_again(client, session):
    submit(client, url(session), {"answer:three-stage/first": "The blue"})
    submit(client, url(session), {"answer:three-stage/first": "The blue", "answer:three-stage/felt": "Warm"})
    assert EntryRevision.objects.count() == 2


def test_a_refused_answer_shows_every_typed_answer_again_and_saves_none(client, session, settings):
    settings.ENTRY_MAX_CHARS = 20
    typed = {"answer:three-stage/first": "Short one", "answer:three-stage/felt": "Much too long for the limit here"}
    response = submit(client, url(session), typed)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Short one" in body and "Much too long for the limit here" in body
    assert not Entry.objects.filter(text="Much too long for the limit here").exists()


OTHER_UID = "5d1d8b8e-0d3a-4b8e-9d77-3b5f6a1c2e44"


def autosave(client, session, data):
    from tests.conftest import csrf_post

    client.get(url(session))
    return csrf_post(client, url(session) + "/autosave", data)


def test_autosave_creates_the_answer_by_its_uid_then_revises_it(client, session):
    uid = "0b7c6f3e-8a59-4c3c-9f1e-2a7d1c5e9b10"
    first = autosave(client, session, {"uid": uid, "prompt": "three-stage/felt", "text": "Warm"})
    assert first.status_code == 200 and first.json()["ok"]
    autosave(client, session, {"uid": uid, "prompt": "three-stage/felt", "text": "Warm hands"})
    entry = Entry.objects.get()
    assert (str(entry.uid), entry.text, entry.prompt_id) == (uid, "Warm hands", "three-stage/felt")
    assert entry.mode == Entry.Mode.GUIDED and entry.session == session


def test_autosave_of_a_prompt_answered_in_another_tab_revises_that_answer(client, session):
    submit(client, url(session), {"prompt": "three-stage/felt", "text": "Warm"})
    answer = autosave(client, session, {"uid": OTHER_UID, "prompt": "three-stage/felt", "text": "Warmer"})
    assert answer.json()["uid"] == str(Entry.objects.get().uid)
    assert Entry.objects.get().text == "Warmer"


def test_autosave_refuses_a_prompt_outside_the_set_with_a_message(client, session):
    answer = autosave(client, session, {"uid": OTHER_UID, "prompt": "six-session/s1-fit", "text": "x"})
    assert answer.status_code == 400 and answer.json()["message"]
    assert not Entry.objects.exists()


def test_autosave_of_someone_elses_session_is_a_404(client, session):
    other = make_session(make_course(stranger()))
    answer = autosave(client, other, {"uid": OTHER_UID, "prompt": "three-stage/felt", "text": "x"})
    assert answer.status_code == 404
    assert not Entry.objects.exists()


def test_refining_a_private_answer_on_the_page_keeps_it_private(client, session):
    # The page has no Private box: an answer marked private on its entry's page stays private.
    uid = "3f0c1a52-7d4e-4f8b-a1c6-9e2b5d7f4a18"
    autosave(client, session, {"uid": uid, "prompt": "three-stage/felt", "text": "Warm"})
    Entry.objects.filter(uid=uid).update(private=True)
    autosave(client, session, {"uid": uid, "prompt": "three-stage/felt", "text": "Warm hands"})
    entry = Entry.objects.get()
    assert entry.text == "Warm hands" and entry.private
