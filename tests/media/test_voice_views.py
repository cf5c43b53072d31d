"""Voice note pages and endpoints: upload, listen with seeking, correct, retry, delete."""

from __future__ import annotations

import uuid

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from afterglow.journal.models import Entry
from afterglow.media.voice import jobs, notes
from afterglow.media.voice.models import VoiceNote
from afterglow.media.voice.worker import QueueWorker
from tests.conftest import csrf_post
from tests.journal.course_factories import course, days_ago, session, stranger
from tests.media.speech import MIN_OVERLAP, SENTENCE, overlap, wav_bytes

Status = VoiceNote.Status


def _upload(client, data: bytes, name: str = "voice-note.webm", **fields):
    return csrf_post(client, "/voice/upload", {"audio": SimpleUploadedFile(name, data), **fields}, HTTP_ACCEPT="application/json")


def test_an_upload_becomes_a_voice_entry_and_its_transcript_arrives(client, patient, speech_ogg):
    response = _upload(client, speech_ogg, uid=str(uuid.uuid4()))
    assert response.status_code == 201
    note = VoiceNote.objects.get(pk=response.json()["id"])
    assert note.entry.mode == Entry.Mode.VOICE and note.owner == patient
    assert client.get(response.json()["status_url"]).json()["status"] == "queued"
    QueueWorker().run_until_empty()
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["machine_made"]
    assert overlap(SENTENCE, status["text"]) >= MIN_OVERLAP


def test_the_same_upload_sent_twice_is_stored_once(client, patient, speech_ogg):
    uid = str(uuid.uuid4())
    first = _upload(client, speech_ogg, uid=uid)
    again = _upload(client, speech_ogg, uid=uid)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert VoiceNote.objects.count() == 1 and Entry.objects.count() == 1


def test_a_recording_can_belong_to_a_session(client, patient, speech_ogg):
    s = session(patient, course(patient), days_ago(1))
    response = _upload(client, speech_ogg, session=str(s.pk))
    assert VoiceNote.objects.get(pk=response.json()["id"]).entry.session == s


@pytest.mark.parametrize(
    "data, message",
    [
        (wav_bytes(np.zeros(16000 * 2)), "silent"),
        (b"<html>not a recording at all</html>" * 20, "not a recording we can read"),
        (b"", "empty"),
    ],
)
def test_bad_recordings_are_refused_kindly_and_nothing_is_saved(client, patient, data, message):
    response = _upload(client, data)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert not VoiceNote.objects.exists() and not Entry.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(client, patient, speech_ogg, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    response = _upload(client, speech_ogg)
    assert response.status_code == 413 and "200 MB" in response.json()["message"]
    assert not VoiceNote.objects.exists()


def test_someone_elses_session_cannot_be_linked(client, patient, speech_ogg):
    other = stranger()
    theirs = session(other, course(other), days_ago(1))
    response = _upload(client, speech_ogg, session=str(theirs.pk))
    assert response.status_code == 400 and not VoiceNote.objects.exists()


@pytest.mark.vault_locked
def test_an_upload_while_locked_is_refused_with_401_so_the_browser_keeps_it(client, speech_ogg):
    response = _upload(client, speech_ogg)
    assert response.status_code == 401


def test_the_plain_upload_form_works_without_script(client, patient, speech_ogg):
    assert client.get("/voice/new").status_code == 200
    response = csrf_post(client, "/voice/new", {"audio": SimpleUploadedFile("talk.ogg", speech_ogg)})
    note = VoiceNote.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/voice/{note.pk}"
    page = client.get(f"/voice/{note.pk}").content.decode()
    assert "Waiting to be transcribed" in page and f"/voice/{note.pk}/audio" in page


def test_the_plain_form_shows_a_refusal_on_the_page(client, patient):
    response = csrf_post(client, "/voice/new", {"audio": SimpleUploadedFile("x.mp3", b"no sound here" * 50)})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.fixture
def note(patient, speech_ogg) -> VoiceNote:
    return notes.add(patient, speech_ogg)[0]


def test_the_player_can_seek_with_range_requests(client, note, speech_ogg):
    whole = client.get(f"/voice/{note.pk}/audio")
    assert whole.status_code == 200 and whole.content == speech_ogg and whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "audio/ogg"
    part = client.get(f"/voice/{note.pk}/audio", HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part.content == speech_ogg[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(speech_ogg)}"
    tail = client.get(f"/voice/{note.pk}/audio", HTTP_RANGE="bytes=-50")
    assert tail.status_code == 206 and tail.content == speech_ogg[-50:]
    open_ended = client.get(f"/voice/{note.pk}/audio", HTTP_RANGE="bytes=1000-")
    assert open_ended.content == speech_ogg[1000:]


def test_a_range_past_the_end_is_416(client, note, speech_ogg):
    response = client.get(f"/voice/{note.pk}/audio", HTTP_RANGE=f"bytes={len(speech_ogg)}-")
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{len(speech_ogg)}"


def test_the_transcript_is_shown_beside_the_player_marked_machine_made(client, note):
    QueueWorker().run_until_empty()
    page = client.get(f"/voice/{note.pk}").content.decode()
    assert "Machine-made" in page and 'id="transcript-text"' in page and "<audio" in page
    entry_page = client.get(f"/entries/{note.entry.pk}").content.decode()
    assert "Machine-made transcript" in entry_page and f"/voice/{note.pk}/audio" in entry_page


def test_correcting_the_transcript_keeps_a_revision_and_makes_it_yours(client, note):
    QueueWorker().run_until_empty()
    response = csrf_post(client, f"/voice/{note.pk}/transcript", {"text": "I walked with my family.", "then": "save"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.transcript_by == "person" and not note.machine_made
    assert note.entry.revisions.count() == 2 and note.entry.revisions.first().text == "I walked with my family."
    assert "Checked by you" in client.get(f"/voice/{note.pk}").content.decode()


def test_accepting_the_transcript_as_it_is_makes_it_yours(client, note):
    QueueWorker().run_until_empty()
    csrf_post(client, f"/voice/{note.pk}/transcript", {"then": "accept"})
    note.refresh_from_db()
    assert note.transcript_by == "person" and note.entry.text


def test_a_failed_transcript_offers_a_retry(client, note):
    VoiceNote.objects.filter(pk=note.pk).update(status=Status.FAILED, problem="No words could be made out in this recording.")
    page = client.get(f"/voice/{note.pk}").content.decode()
    assert "No words could be made out" in page and "Your recording is kept" in page and "Try again" in page
    assert csrf_post(client, f"/voice/{note.pk}/retry").status_code == 302
    assert VoiceNote.objects.get(pk=note.pk).status == Status.QUEUED


def test_delete_asks_first_then_removes_the_recording_and_its_entry(client, note):
    assert "Delete the recording" in client.get(f"/voice/{note.pk}/delete").content.decode()
    assert VoiceNote.objects.exists()
    response = csrf_post(client, f"/voice/{note.pk}/delete")
    assert response.status_code == 302
    assert not VoiceNote.objects.exists() and not Entry.objects.exists()


def test_delete_can_keep_the_transcript_as_a_written_entry(client, note):
    jobs.transcribe(note.pk, worker="w")
    response = csrf_post(client, f"/voice/{note.pk}/delete", {"keep_text": "on"})
    kept = Entry.objects.get()
    assert response["Location"] == f"/entries/{kept.pk}"
    assert kept.mode == Entry.Mode.FREE and kept.text and not VoiceNote.objects.exists()


@pytest.mark.parametrize("path", ["", "/audio", "/status", "/delete"])
def test_another_patients_recording_is_not_found(client, patient, speech_ogg, path):
    theirs = notes.add(stranger(), speech_ogg)[0]
    assert client.get(f"/voice/{theirs.pk}{path}").status_code == 404


def test_the_recorder_is_offered_where_people_write(client, patient):
    s = session(patient, course(patient), days_ago(0))
    for url in ["/write", f"/sessions/{s.pk}", f"/sessions/{s.pk}/capture/1", "/voice/new"]:
        page = client.get(url).content.decode()
        assert "data-voice-recorder" in page and "js/recorder.js" in page, url
    assert f'data-session="{s.pk}"' in client.get(f"/sessions/{s.pk}").content.decode()


def test_editing_a_voice_entry_on_the_writing_page_also_ends_machine_made(client, note):
    QueueWorker().run_until_empty()
    response = csrf_post(client, f"/entries/{note.entry.pk}/edit", {"text": "Corrected on the writing page.", "then": "finish"})
    assert response.status_code == 302
    assert not VoiceNote.objects.select_related("entry").get(pk=note.pk).machine_made
    assert "Checked by you" in client.get(f"/voice/{note.pk}").content.decode()


def test_a_recording_uploaded_as_private_is_a_private_entry_kept_as_it_is_in_the_encrypted_journal(client, patient, speech_ogg):
    response = _upload(client, speech_ogg, private="on")
    note = VoiceNote.objects.get(pk=response.json()["id"])
    assert note.entry.private and bytes(note.audio) == speech_ogg and note.audio_key == b""  # local: one SQLCipher file
    form = client.get("/voice/new").content.decode()
    assert 'name="private"' in form and "data-rec-private" in form
