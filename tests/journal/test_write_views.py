"""The writing page, its autosave endpoint and the entry page, through a client that enforces CSRF."""

from __future__ import annotations

import uuid

import pytest

from afterglow.journal import autosave as saving
from afterglow.journal.models import Entry, EntryRevision
from tests.journal.course_factories import course, days_ago, entry, session, stranger, submit


def autosave(client, **data):
    client.get("/write")
    token = client.cookies["csrftoken"].value
    return client.post("/write/autosave", {"csrfmiddlewaretoken": token, **data}, HTTP_ACCEPT="application/json")


def test_it_shows_a_quiet_page_with_a_labelled_textarea_and_spellcheck_off(client, patient):
    body = client.get("/write").content.decode()
    assert 'id="entry-text"' in body and 'spellcheck="false"' in body
    assert '<label for="entry-text"' in body and "Your entry" in body
    assert 'id="save-status"' in body
    assert 'name="private"' in body
    assert "word count" not in body.lower() and "word-count" not in body
    assert "js/write.js" in body and "<script>" not in body


def test_it_links_the_page_to_a_session_and_shows_the_prompt(client, patient):
    s = session(patient, course(patient), days_ago(1))
    body = client.get(f"/write?session={s.pk}&prompt=three-stage/{_first_prompt().id}").content.decode()
    assert f"Session {s.number}" in body
    assert _first_prompt().text in body
    assert f'name="session" id="entry-session" value="{s.pk}"' in body


def _first_prompt():
    from afterglow.prompts.library import library

    return library()["three-stage"].prompts[0]


def test_it_gives_a_404_for_an_unknown_session_or_prompt(client, patient):
    assert client.get("/write?session=999").status_code == 404
    assert client.get("/write?prompt=three-stage/nope").status_code == 404
    other = stranger()
    theirs = session(other, course(other), days_ago(1))
    assert client.get(f"/write?session={theirs.pk}").status_code == 404


def test_autosave_creates_then_updates_by_uid_and_keeps_revisions(client, patient):
    uid = str(uuid.uuid4())
    first = autosave(client, uid=uid, text="Morning")
    assert first.status_code == 200
    data = first.json()
    assert data["ok"] and data["created"] and data["uid"] == uid
    assert data["saved_label"].startswith("Saved ")
    assert data["digest"] == saving.digest("Morning")
    second = autosave(client, uid=uid, text="Morning light")
    assert second.json()["created"] is False and second.json()["changed"] is True
    repeat = autosave(client, uid=uid, text="Morning light")
    assert repeat.json()["changed"] is False
    assert Entry.objects.count() == 1
    assert EntryRevision.objects.count() == 2


def test_autosave_accepts_a_beacon_style_form_body(client, patient):
    # sendBeacon posts urlencoded form data with no Accept header; the token travels in the body.
    client.get("/write")
    token = client.cookies["csrftoken"].value
    uid = str(uuid.uuid4())
    response = client.post(
        "/write/autosave",
        f"csrfmiddlewaretoken={token}&uid={uid}&text=Last+words&private=on",
        content_type="application/x-www-form-urlencoded;charset=UTF-8",
    )
    assert response.status_code == 200
    saved = Entry.objects.get(uid=uid)
    assert saved.text == "Last words" and saved.private


def test_autosave_refuses_empty_text_with_a_json_400(client, patient):
    response = autosave(client, uid=str(uuid.uuid4()), text="  ")
    assert response.status_code == 400
    assert "nothing to save" in response.json()["message"].lower()
    assert not Entry.objects.exists()


def test_autosave_refuses_text_over_the_limit_with_a_json_413(client, patient, settings):
    settings.ENTRY_MAX_CHARS = 100
    response = autosave(client, uid=str(uuid.uuid4()), text="y" * 101)
    assert response.status_code == 413 and "split" in response.json()["message"]


def test_autosave_refuses_a_five_megabyte_entry_kindly(client, patient):
    response = autosave(client, uid=str(uuid.uuid4()), text="z" * (5 * 1024 * 1024))
    assert response.status_code in (400, 413)
    assert "too long" in response.json()["message"]
    assert not Entry.objects.exists()


def test_autosave_refuses_a_missing_uid_and_an_unknown_session(client, patient):
    assert autosave(client, uid="", text="Hello").status_code == 400
    response = autosave(client, uid=str(uuid.uuid4()), text="Hello", session="999")
    assert response.status_code == 400 and "session" in response.json()["message"]
    assert not Entry.objects.exists()


def test_autosave_gives_a_404_for_someone_elses_uid(client, patient):
    theirs = entry(stranger(), "Not yours")
    response = autosave(client, uid=str(theirs.uid), text="Overwrite")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.text == "Not yours"


def test_autosave_refuses_a_post_without_csrf(client, patient):
    response = client.post("/write/autosave", {"uid": str(uuid.uuid4()), "text": "x"})
    assert response.status_code == 403
    assert not Entry.objects.exists()


def test_reopening_write_continues_the_entry_left_open(client, patient):
    uid = str(uuid.uuid4())
    autosave(client, uid=uid, text="I closed the tab here")
    body = client.get("/write").content.decode()
    assert "I closed the tab here" in body
    assert f'value="{uid}"' in body
    fresh = client.get("/write?new=1").content.decode()
    assert "I closed the tab here" not in fresh


def test_the_plain_form_saves_without_script_and_keeps_writing(client, patient):
    uid = str(uuid.uuid4())
    response = submit(client, "/write", {"uid": uid, "text": "By hand", "then": "continue"})
    saved = Entry.objects.get(uid=uid)
    assert response.status_code == 302 and response["Location"] == f"/entries/{saved.pk}/edit"
    assert saved.mode == Entry.Mode.FREE and not saved.private


def test_the_plain_form_save_and_close_goes_to_the_entry(client, patient):
    s = session(patient, course(patient), days_ago(0))
    response = submit(client, "/write", {"text": "Done", "session": str(s.pk), "private": "on", "then": "finish"})
    saved = Entry.objects.get()
    assert response["Location"] == f"/entries/{saved.pk}"
    assert saved.session == s and saved.private


def test_the_plain_form_shows_an_empty_entry_again_with_a_kind_message(client, patient):
    response = submit(client, "/write", {"text": "   ", "then": "finish"})
    assert response.status_code == 400
    assert "nothing to save yet" in response.content.decode().lower()


def test_the_plain_form_keeps_typed_text_when_it_is_too_long(client, patient, settings):
    settings.ENTRY_MAX_CHARS = 20
    response = submit(client, "/write", {"text": "These words stay in the box", "then": "finish"})
    assert response.status_code == 413
    assert "These words stay in the box" in response.content.decode()


def test_the_plain_form_keeps_typed_text_when_the_session_is_unknown(client, patient):
    response = submit(client, "/write", {"text": "Still here", "session": "999", "then": "finish"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Still here" in body and "not in your journal" in body


def test_the_entry_page_shows_text_prompt_session_and_private_badge(client, patient):
    s = session(patient, course(patient), days_ago(2))
    e = entry(patient, "Line one\nLine two", session=s, private=True, prompt_text="What stayed with you?")
    body = client.get(f"/entries/{e.pk}").content.decode()
    assert "Line one" in body and "What stayed with you?" in body
    assert f'href="/sessions/{s.pk}"' in body
    assert "badge-private" in body
    assert f'href="/entries/{e.pk}/edit"' in body
    assert f'data-digest="{saving.digest(e.text)}"' in body


def test_the_edit_page_continues_an_entry_and_saves_a_revision(client, patient):
    e = entry(patient, "Before")
    body = client.get(f"/entries/{e.pk}/edit").content.decode()
    assert "Before" in body and f'value="{e.uid}"' in body
    submit(client, f"/entries/{e.pk}/edit", {"text": "Before and after", "then": "finish"})
    e.refresh_from_db()
    assert e.text == "Before and after"
    assert e.revisions.count() == 2


@pytest.mark.parametrize("suffix", ["", "/edit"])
def test_someone_elses_entry_is_a_404(client, patient, suffix):
    theirs = entry(stranger(), "Private to them")
    response = client.get(f"/entries/{theirs.pk}{suffix}")
    assert response.status_code == 404
    assert "Private to them" not in response.content.decode()


def test_someone_elses_entry_cannot_be_edited_by_form(client, patient):
    theirs = entry(stranger(), "Private to them")
    response = submit(client, f"/entries/{theirs.pk}/edit", {"text": "changed"}, page="/write")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.text == "Private to them"


def test_a_same_origin_form_post_with_a_null_origin_is_accepted(client, patient):
    # Browsers send `Origin: null` on our own form posts because of Referrer-Policy: no-referrer.
    client.get("/write")
    token = client.cookies["csrftoken"].value
    data = {"csrfmiddlewaretoken": token, "text": "From a real browser", "then": "finish"}
    response = client.post("/write", data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302
    refused = client.post("/write", data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="cross-site")
    assert refused.status_code == 403
    assert Entry.objects.count() == 1
