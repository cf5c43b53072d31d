from __future__ import annotations

import pytest

from afterglow.journal.models import Intention
from tests.prompts.helpers import make_course, make_session, stranger, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(patient):
    return make_session(make_course(patient))


def test_it_shows_the_guided_intention_prompts(client, session):
    body = client.get(f"/sessions/{session.pk}/intention").content.decode()
    assert "What are you hoping this session might bring you?" in body
    assert 'name="intention/afraid"' in body and 'name="intention/support"' in body


def test_it_saves_each_answer_as_an_intention(client, patient, session):
    response = submit(
        client, f"/sessions/{session.pk}/intention", {"intention/hope": "Some rest from the noise", "intention/afraid": "  "}
    )
    assert response.status_code == 302
    saved = Intention.objects.get(session=session)
    assert (saved.owner, saved.prompt_id, saved.text) == (patient, "intention/hope", "Some rest from the noise")
    assert saved.prompt_text == "What are you hoping this session might bring you?"


def test_it_updates_and_removes_intentions_on_a_second_save(client, session):
    submit(client, f"/sessions/{session.pk}/intention", {"intention/hope": "Rest", "intention/explore": "Grief"})
    submit(client, f"/sessions/{session.pk}/intention", {"intention/hope": "Deep rest", "intention/explore": ""})
    assert list(Intention.objects.values_list("prompt_id", "text")) == [("intention/hope", "Deep rest")]


def test_it_keeps_cli_intentions_editable(client, patient, session):
    typed = Intention.objects.create(owner=patient, session=session, text="Be open")
    body = client.get(f"/sessions/{session.pk}/intention").content.decode()
    assert f'name="intention-{typed.pk}"' in body and "Be open" in body
    submit(client, f"/sessions/{session.pk}/intention", {f"intention-{typed.pk}": "Be very open"})
    typed.refresh_from_db()
    assert typed.text == "Be very open"


def test_an_empty_form_is_shown_again_with_a_kind_message(client, session):
    response = submit(client, f"/sessions/{session.pk}/intention", {"intention/hope": "   "})
    assert response.status_code == 422
    assert "at least one intention" in response.content.decode()
    assert not Intention.objects.exists()


def test_a_too_long_answer_keeps_everything_typed(client, session):
    data = {"intention/hope": "x" * 6000, "intention/support": "My sister will drive me home"}
    response = submit(client, f"/sessions/{session.pk}/intention", data)
    assert response.status_code == 422
    assert "My sister will drive me home" in response.content.decode()
    assert not Intention.objects.exists()


def test_a_session_that_does_not_exist_is_a_404(client, session):
    assert client.get(f"/sessions/{session.pk + 99}/intention").status_code == 404


def test_someone_elses_session_is_a_404(client):
    other = make_session(make_course(stranger()))
    assert client.get(f"/sessions/{other.pk}/intention").status_code == 404
    assert submit(client, f"/sessions/{other.pk}/intention", {"intention/hope": "x"}).status_code == 404
    assert not Intention.objects.exists()


def test_a_post_without_csrf_token_is_refused(client, session):
    response = client.post(f"/sessions/{session.pk}/intention", {"intention/hope": "Rest"})
    assert response.status_code == 403
    assert not Intention.objects.exists()


def test_own_intention_prompts_are_offered(client, patient, session):
    from afterglow.prompts.models import OwnPrompt

    mine = OwnPrompt.objects.create(owner=patient, stage="before", text="What does my younger self need?")
    body = client.get(f"/sessions/{session.pk}/intention").content.decode()
    assert "What does my younger self need?" in body
    submit(client, f"/sessions/{session.pk}/intention", {f"own/{mine.pk}": "Safety"})
    assert Intention.objects.get().prompt_id == f"own/{mine.pk}"


# Revisit: did the experience fit what was hoped?


def test_revisit_shows_the_intentions_with_a_fit_scale(client, patient, session):
    Intention.objects.create(owner=patient, session=session, prompt_id="intention/hope", prompt_text="Hope?", text="Rest")
    body = client.get(f"/sessions/{session.pk}/revisit").content.decode()
    assert "Rest" in body and "Mostly" in body and "Not at all" in body


def test_revisit_saves_fit_and_note(client, patient, session):
    i = Intention.objects.create(owner=patient, session=session, text="Rest")
    response = submit(client, f"/sessions/{session.pk}/revisit", {f"fit-{i.pk}": "2", f"note-{i.pk}": "More than I thought"})
    assert response.status_code == 302
    i.refresh_from_db()
    assert (i.fit, i.revisit_note) == (2, "More than I thought")


def test_revisit_rejects_an_impossible_fit_and_keeps_the_note(client, patient, session):
    i = Intention.objects.create(owner=patient, session=session, text="Rest")
    response = submit(client, f"/sessions/{session.pk}/revisit", {f"fit-{i.pk}": "7", f"note-{i.pk}": "Typed note"})
    assert response.status_code == 422
    assert "Typed note" in response.content.decode()
    i.refresh_from_db()
    assert i.fit is None and i.revisit_note == ""


def test_revisit_without_intentions_offers_a_way_on(client, session):
    body = client.get(f"/sessions/{session.pk}/revisit").content.decode()
    assert "did not set an intention" in body


def test_revisit_of_someone_elses_session_is_a_404(client):
    other = make_session(make_course(stranger()))
    assert client.get(f"/sessions/{other.pk}/revisit").status_code == 404


def background_post(client, url, data):
    from tests.conftest import csrf_post

    client.get(url)
    return csrf_post(client, url, data, HTTP_ACCEPT="application/json")


def test_a_background_save_answers_json_and_leaves_no_message_for_the_next_page(client, session):
    url = f"/sessions/{session.pk}/intention"
    response = background_post(client, url, {"intention/hope": "Rest"})
    assert response.status_code == 200 and response.json()["ok"] is True
    assert Intention.objects.get().text == "Rest"
    assert "Your intentions are saved" not in client.get(url).content.decode()


def test_a_refused_background_save_says_why_in_json(client, session):
    response = background_post(client, f"/sessions/{session.pk}/intention", {"intention/hope": "  "})
    assert response.status_code == 400 and "at least one intention" in response.json()["message"]


def test_the_look_back_saves_in_the_background_too(client, patient, session):
    intention = Intention.objects.create(owner=patient, session=session, text="Be open")
    response = background_post(client, f"/sessions/{session.pk}/revisit", {f"note-{intention.pk}": "It was"})
    assert response.json()["ok"] is True
    intention.refresh_from_db()
    assert intention.revisit_note == "It was"
