"""The check-in form keeps a draft on the server as it is filled, without making a check-in."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from afterglow.journal.checkin_drafts import values_of
from afterglow.journal.models import CheckIn, CheckInDraft
from tests.conftest import csrf_post
from tests.journal import course_factories as make

JSON = {"HTTP_ACCEPT": "application/json"}


def today() -> str:
    return timezone.localdate().isoformat()


def draft(client, data: dict[str, str]):
    return csrf_post(client, "/checkin/draft", data, **JSON)


def test_it_keeps_the_form_as_typed_without_making_a_check_in(client, patient):
    response = draft(client, {"mood": "4", "note": "Heavy legs this morning", "day": today(), "time": "08:10"})
    assert response.status_code == 200 and response.json()["ok"] is True
    assert "Draft kept" in response.json()["saved_label"]
    assert CheckIn.objects.count() == 0
    kept = CheckInDraft.objects.get(owner=patient).values
    assert (kept["mood"], kept["note"], kept["time"]) == ("4", "Heavy legs this morning", "08:10")


def test_a_second_save_replaces_the_first_draft(client, patient):
    draft(client, {"note": "Heavy"})
    draft(client, {"note": "Heavy legs", "pain": "3"})
    assert CheckInDraft.objects.count() == 1
    assert CheckInDraft.objects.get().values["note"] == "Heavy legs"


def test_the_next_visit_brings_the_draft_back_into_the_form(client, patient):
    draft(client, {"mood": "7", "note": "Slept at last", "day": today()})
    body = client.get("/checkin").content.decode()
    assert "Slept at last</textarea>" in body
    ticked = [t for t in re.findall(r"<input[^>]*>", body) if 'name="mood"' in t and " checked" in t]
    assert len(ticked) == 1 and 'value="7"' in ticked[0]
    assert "check-in you started earlier" in body and 'action="/checkin/draft/discard"' in body


def test_an_empty_draft_is_not_offered(client, patient):
    draft(client, {"day": today(), "time": "09:00"})
    body = client.get("/checkin").content.decode()
    assert "check-in you started earlier" not in body


def test_saving_the_check_in_ends_the_draft(client, patient):
    draft(client, {"mood": "5", "note": "Walked a little"})
    response = make.submit(client, "/checkin", {"mood": "5", "note": "Walked a little", "day": today()})
    assert response.status_code == 302
    assert CheckIn.objects.get().note == "Walked a little"
    assert values_of(patient) is None
    assert "Walked a little" not in client.get("/checkin").content.decode().split("Recent check-ins")[0]


def test_a_refused_check_in_keeps_the_draft(client, patient):
    draft(client, {"note": "No mood picked yet"})
    response = make.submit(client, "/checkin", {"note": "No mood picked yet", "day": today()})
    assert response.status_code == 400
    assert CheckInDraft.objects.get().values["note"] == "No mood picked yet"


def test_changing_an_old_check_in_leaves_the_draft_alone(client, patient):
    make.submit(client, "/checkin", {"mood": "6", "day": today()})
    draft(client, {"note": "Half written"})
    existing = CheckIn.objects.get()
    make.submit(client, f"/checkin/{existing.pk}", {"mood": "8", "day": today()})
    assert CheckInDraft.objects.get().values["note"] == "Half written"
    assert 'data-autosave="' not in client.get(f"/checkin/{existing.pk}").content.decode()


def test_discarding_empties_the_form(client, patient):
    draft(client, {"mood": "3", "note": "Not today"})
    response = csrf_post(client, "/checkin/draft/discard")
    assert response.status_code == 302 and response.url == "/checkin"
    assert values_of(patient) is None
    body = client.get("/checkin").content.decode()
    assert "Not today" not in body and "the form is empty again" in body


def test_the_draft_needs_the_csrf_token(client, patient):
    response = client.post("/checkin/draft", {"note": "x"}, **JSON)
    assert response.status_code == 403 and not CheckInDraft.objects.exists()


def test_a_very_long_note_is_kept_in_full_up_to_a_generous_limit(client, patient):
    draft(client, {"note": "a" * 6000, "mood": "5" * 100})
    kept = CheckInDraft.objects.get().values
    assert len(kept["note"]) == 6000 and len(kept["mood"]) == 32


def form_uid(client) -> str:
    return re.search(r'name="form_uid" value="([0-9a-f]+)"', client.get("/checkin").content.decode()).group(1)


def test_a_background_save_arriving_after_the_check_in_does_not_bring_the_draft_back(client, patient):
    page = form_uid(client)
    draft(client, {"mood": "6", "note": "Almost done", "form_uid": page})
    make.submit(client, "/checkin", {"mood": "6", "note": "Almost done", "day": today(), "form_uid": page})
    late = draft(client, {"mood": "6", "note": "Almost done", "form_uid": page})
    assert late.status_code == 200 and values_of(patient) is None
    assert "check-in you started earlier" not in client.get("/checkin").content.decode()


def test_a_new_visit_after_saving_starts_a_new_draft(client, patient):
    first = form_uid(client)
    make.submit(client, "/checkin", {"mood": "6", "day": today(), "form_uid": first})
    second = form_uid(client)
    assert second != first
    draft(client, {"note": "Later that day", "form_uid": second})
    assert values_of(patient) == {"note": "Later that day"}


def test_each_opening_of_the_page_has_its_own_form_uid(client, patient):
    assert form_uid(client) != form_uid(client)


def test_a_link_for_another_day_keeps_the_words_and_takes_that_day(client, patient):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    draft(client, {"mood": "4", "note": "Forgot to check in", "day": today(), "time": "09:15"})
    body = client.get(f"/checkin?day={yesterday}").content.decode()
    assert "Forgot to check in</textarea>" in body and f'value="{yesterday}"' in body and 'value="09:15"' not in body
