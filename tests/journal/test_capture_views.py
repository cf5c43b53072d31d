"""The quick capture pages, through a client that enforces CSRF."""

from __future__ import annotations

import pytest

from afterglow.journal import capture as rules
from afterglow.journal.models import Capture
from tests.journal.course_factories import course, days_ago, session, stranger, submit


@pytest.fixture
def today_session(patient):
    return session(patient, course(patient), days_ago(0))


def step_url(s, number: int) -> str:
    return f"/sessions/{s.pk}/capture/{number}"


def number_of(key: str) -> int:
    return next(s.number for s in rules.steps() if s.key == key)


def test_it_starts_with_the_right_now_screen_when_nothing_is_captured(client, today_session):
    response = client.get(f"/sessions/{today_session.pk}/capture", follow=True)
    assert response.redirect_chain[-1][0] == f"/sessions/{today_session.pk}/capture/now"
    body = response.content.decode()
    assert "How was it?" in body and body.count('name="overall"') == 5
    assert 'name="first_impression"' in body and 'value="done"' in body
    # The minimal header: a way out and crisis help, no site navigation.
    assert 'href="/help"' in body and 'aria-label="Main"' not in body and "capture-exit" in body


def test_say_more_starts_the_fuller_steps_at_step_one_with_one_question(client, today_session):
    response = client.get(f"/sessions/{today_session.pk}/capture/more", follow=True)
    assert response.redirect_chain[-1][0] == step_url(today_session, 1)
    body = response.content.decode()
    assert "Step 1 of 11" in body
    assert "What comes to mind first?" in body
    assert body.count('name="first_impression"') == 1
    assert 'value="later"' in body and 'value="skip"' in body


def test_it_saves_an_answer_and_moves_to_the_next_step(client, today_session):
    response = submit(client, step_url(today_session, 1), {"first_impression": "Soft light", "go": "next"})
    assert response.status_code == 302 and response["Location"] == step_url(today_session, 2)
    assert Capture.objects.get(session=today_session).first_impression == "Soft light"


def test_it_goes_back_without_losing_the_answer(client, today_session):
    response = submit(client, step_url(today_session, 3), {"heard": "Cello", "go": "back"})
    assert response["Location"] == step_url(today_session, 2)
    assert Capture.objects.get(session=today_session).heard == "Cello"


def test_it_saves_on_finish_later_and_resumes_at_the_first_unanswered_step(client, today_session):
    submit(client, step_url(today_session, 1), {"first_impression": "Blue", "go": "next"})
    response = submit(client, step_url(today_session, 2), {"saw_colours": "gold", "go": "later"})
    assert response["Location"] == "/"
    resumed = client.get(f"/sessions/{today_session.pk}/capture")
    assert resumed["Location"] == step_url(today_session, 3)


def test_it_answers_a_fetch_save_with_json(client, today_session):
    url = step_url(today_session, number_of("dissociation"))
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"dissociation": "2", "csrfmiddlewaretoken": token}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["ok"] is True
    assert Capture.objects.get(session=today_session).dissociation == 2


def test_it_refuses_an_intensity_of_four_with_a_400_and_keeps_the_other_answers(client, today_session):
    url = step_url(today_session, number_of("body"))
    posted = {"sensations-nausea": "4", "sensations-headache": "1", "sensation_other": "chills", "go": "next"}
    response = submit(client, url, posted)
    assert response.status_code == 400
    body = response.content.decode()
    assert "0 (none) to 3" in body
    assert 'value="chills"' in body
    assert 'name="sensations-headache" value="1"' in body
    assert not Capture.objects.exists()


def test_it_refuses_a_bad_json_save_with_a_message(client, today_session):
    url = step_url(today_session, number_of("body"))
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"sensations-nausea": "4", "csrfmiddlewaretoken": token}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "0 (none) to 3" in response.json()["message"]


def test_it_shows_a_saved_answer_when_the_step_is_opened_again(client, today_session):
    url = step_url(today_session, number_of("body"))
    submit(client, url, {"sensations-tingling": "3", "go": "next"})
    body = client.get(url).content.decode()
    assert 'name="sensations-tingling" value="3"' in body
    assert ">Tingling, strong<" in body


def test_it_stores_tapped_and_own_emotions(client, today_session):
    url = step_url(today_session, number_of("emotions"))
    submit(client, url, {"emotion": ["joy", "relief"], "emotion_other": "homesick", "go": "next"})
    assert Capture.objects.get(session=today_session).emotions == ["joy", "relief", "homesick"]
    body = client.get(url).content.decode()
    assert 'value="homesick" checked' in body


def test_it_shows_the_summary_after_the_last_step(client, today_session):
    last = len(rules.steps())
    response = submit(client, step_url(today_session, last), {"insights": "Be gentler with myself", "go": "next"})
    assert response["Location"] == f"/sessions/{today_session.pk}/capture/summary"
    body = client.get(response["Location"]).content.decode()
    assert "Be gentler with myself" in body
    assert "1 of 11" in body


def test_it_refuses_a_csrf_less_post(client, today_session):
    response = client.post(step_url(today_session, 1), {"first_impression": "x"})
    assert response.status_code == 403
    assert not Capture.objects.exists()


def test_it_does_not_show_or_save_someone_elses_session(client, db):
    other = stranger()
    theirs = session(other, course(other), days_ago(0))
    assert client.get(f"/sessions/{theirs.pk}/capture").status_code == 404
    assert client.get(step_url(theirs, 1)).status_code == 404
    assert submit(client, step_url(theirs, 1), {"first_impression": "x"}, page="/checkin").status_code == 404
    assert client.get(f"/sessions/{theirs.pk}/capture/summary").status_code == 404
    assert not Capture.objects.exists()


def test_it_gives_a_404_for_a_step_that_does_not_exist(client, today_session):
    assert client.get(step_url(today_session, 99)).status_code == 404
    assert client.get(step_url(today_session, 0)).status_code == 404


def test_the_summary_offers_the_next_steps_for_this_session(client, today_session):
    body = client.get(f"/sessions/{today_session.pk}/capture/summary").content.decode()
    assert f"/sessions/{today_session.pk}/reflect" in body
    assert f"/write?session={today_session.pk}" in body
    assert "Nothing is recorded yet" in body


def now_url(s) -> str:
    return f"/sessions/{s.pk}/capture/now"


def test_right_now_saves_how_it_was_and_one_line_in_one_post(client, today_session):
    response = submit(client, now_url(today_session), {"overall": "4", "first_impression": "Quiet, kind.", "go": "done"})
    assert response.status_code == 302 and response["Location"] == f"/sessions/{today_session.pk}/capture/summary"
    saved = Capture.objects.get(session=today_session)
    assert (saved.overall, saved.first_impression) == (4, "Quiet, kind.")
    summary = client.get(response["Location"]).content.decode()
    assert "How it was:</strong> Good" in summary and "Say more" in summary


def test_right_now_refuses_an_answer_off_the_scale_and_keeps_the_line(client, today_session):
    response = submit(client, now_url(today_session), {"overall": "9", "first_impression": "Still here", "go": "done"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tap one of the five answers" in body and "Still here" in body
    assert not Capture.objects.exists()


def test_say_more_after_right_now_goes_on_at_the_first_unanswered_step(client, today_session):
    submit(client, now_url(today_session), {"overall": "3", "first_impression": "Mixed", "go": "more"})
    resumed = client.get(f"/sessions/{today_session.pk}/capture")
    assert resumed["Location"] == step_url(today_session, 2)


def test_the_session_page_shows_how_it_was_and_offers_to_say_more(client, today_session):
    submit(client, now_url(today_session), {"overall": "2", "go": "done"})
    body = client.get(f"/sessions/{today_session.pk}").content.decode()
    assert "Hard" in body and f"/sessions/{today_session.pk}/capture/more" in body


def test_a_tap_on_a_side_effect_marks_it_then_raises_it_then_clears_it(client, today_session):
    url = step_url(today_session, number_of("body"))
    for expected in ({"nausea": 1}, {"nausea": 2}, {"nausea": 3}, {}):
        current = Capture.objects.filter(session=today_session).first()
        posted = {f"sensations-{k}": str(v) for k, v in (current.sensations if current else {}).items()}
        response = submit(client, url, {**posted, "tap": "nausea"})
        assert response.status_code == 302 and response["Location"] == url + "#chip-nausea"
        assert Capture.objects.get(session=today_session).sensations == expected


def test_the_body_step_lists_marked_effects_as_chips_not_a_grid(client, today_session):
    url = step_url(today_session, number_of("body"))
    submit(client, url, {"sensations-tingling": "2"})
    body = client.get(url).content.decode()
    assert 'type="radio"' not in body
    assert body.count('data-chip="') == len(rules.load().sensations)
    assert ">Tingling, moderate<" in body


def test_a_tap_on_an_unknown_effect_is_refused(client, today_session):
    response = submit(client, step_url(today_session, number_of("body")), {"tap": "flying"})
    assert response.status_code == 400
    assert not Capture.objects.exists()


def test_a_transcript_marked_machine_made_stays_marked_until_the_answer_is_edited(client, today_session):
    url = step_url(today_session, number_of("heard"))
    submit(client, url, {"heard": "A cello, far off", "machine_made": "heard", "go": "next"})
    assert Capture.objects.get().machine_made == ["heard"]
    assert "Machine-made" in client.get(f"/sessions/{today_session.pk}/capture/summary").content.decode()
    submit(client, url, {"heard": "A cello, far away", "go": "next"})
    assert Capture.objects.get().machine_made == []


def test_every_text_step_has_a_record_button_for_its_own_answer(client, today_session):
    for step in rules.steps():
        if step.text_fields:
            body = client.get(step_url(today_session, step.number)).content.decode()
            assert f'data-rec-target="f-{step.text_fields[0]}"' in body, step.key


def test_a_fetch_save_of_side_effects_answers_with_what_the_rule_flags(client, today_session):
    url = step_url(today_session, number_of("body"))
    client.get(url)
    token = client.cookies["csrftoken"].value
    posted = {"sensations-chest_pain": "1", "sensations-dizziness": "1", "csrfmiddlewaretoken": token}
    response = client.post(url, posted, HTTP_ACCEPT="application/json")
    [note] = response.json()["advice"]
    assert note["labels"] == ["Chest pain or pressure"] and note["kind"] == "warning" and "clinic" in note["text"]


def test_after_right_now_the_summary_lists_only_what_was_said(client, today_session):
    submit(client, now_url(today_session), {"overall": "4", "first_impression": "Quiet", "go": "done"})
    body = client.get(f"/sessions/{today_session.pk}/capture/summary").content.decode()
    assert "Quiet" in body and "Skipped." not in body and "can wait" in body
