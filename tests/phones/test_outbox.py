from __future__ import annotations

import json
import uuid

import pytest
from django.middleware.csrf import _get_new_csrf_string

from afterglow.journal.models import Entry


def send(client, item: dict):
    if "csrftoken" not in client.cookies:
        client.cookies["csrftoken"] = _get_new_csrf_string()
    token = client.cookies["csrftoken"].value
    return client.post("/outbox", json.dumps(item), content_type="application/json", HTTP_X_CSRFTOKEN=token)


def test_it_stores_words_kept_offline_once_however_often_they_arrive(client, patient):
    fields = {"text": "Warm light, slow breath"}
    item = {"id": str(uuid.uuid4()), "kind": "words", "fields": fields, "made_at": "2026-01-05T08:30:00Z"}
    first, again = send(client, item), send(client, item)
    assert first.status_code == again.status_code == 201
    assert first.json()["url"] == again.json()["url"]
    entry = Entry.objects.get(owner=patient)
    assert entry.text == "Warm light, slow breath" and entry.created_at.isoformat().startswith("2026-01-05T08:30")


def test_it_stores_a_checkin_kept_offline_once(client, patient):
    item = {"id": str(uuid.uuid4()), "kind": "checkin", "fields": {"mood": "7", "anxiety": "2", "note": "ok"},
            "made_at": "2026-01-05T08:30:00Z"}  # fmt: skip
    assert send(client, item).status_code == 201
    assert send(client, item).status_code == 201
    checkin = patient.checkins.get()
    assert (checkin.mood, checkin.anxiety, checkin.note) == (7, 2, "ok")


@pytest.mark.parametrize(
    "item",
    [
        {"kind": "words", "fields": {"text": "x"}, "made_at": "2026-01-05T08:30:00Z", "id": "not-a-uuid"},
        {"kind": "checkin", "fields": {"mood": "eleven"}, "made_at": "2026-01-05T08:30:00Z", "id": str(uuid.uuid4())},
        {"kind": "checkin", "fields": {"mood": "11"}, "made_at": "2026-01-05T08:30:00Z", "id": str(uuid.uuid4())},
        {"kind": "words", "fields": {"text": "   "}, "made_at": "2026-01-05T08:30:00Z", "id": str(uuid.uuid4())},
        {"kind": "poem", "fields": {}, "made_at": "2026-01-05T08:30:00Z", "id": str(uuid.uuid4())},
        {"kind": "words", "fields": {"text": "x"}, "made_at": "yesterday", "id": str(uuid.uuid4())},
        [1, 2],
    ],
)
def test_it_refuses_an_unusable_item_with_a_message(client, patient, item):
    response = send(client, item)
    assert response.status_code == 400 and response.json()["message"]
    assert not Entry.objects.exists() and not patient.checkins.exists()


def test_it_never_dates_an_item_in_the_future(client, patient):
    item = {"id": str(uuid.uuid4()), "kind": "checkin", "fields": {"mood": "5"}, "made_at": "2999-01-01T00:00:00Z"}
    assert send(client, item).status_code == 201


@pytest.mark.vault_locked
def test_it_keeps_the_outbox_waiting_while_the_journal_is_locked(client, db, phone_home):
    (phone_home / "keys.json").write_text("{}")
    item = {"id": str(uuid.uuid4()), "kind": "words", "fields": {"text": "later"}, "made_at": "2026-01-05T08:30:00Z"}
    assert send(client, item).status_code == 401
    assert client.get("/outbox/ready").status_code == 302
