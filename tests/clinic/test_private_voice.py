"""A private entry's voice recording on the clinic's server: sealed, yet transcribed by the worker (issue 19 item 4)."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from afterglow.clinic.models import Role
from afterglow.journal.models import Entry
from afterglow.media.voice import jobs, privacy, sealing
from afterglow.media.voice.models import VoiceNote
from afterglow.media.voice.worker import QueueWorker
from afterglow.trash import bin as trash
from tests.clinic.people import PASSWORD, browser, member, post, recovery, signed_in
from tests.clinic.test_private import NEW_PASSWORD, export_zip, pg_dump, reset, tables_holding
from tests.media.speech import encode, speak

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

# Spoken by espeak-ng; words unlikely to be anywhere else in a fresh clinic's database.
SAID = "my grandmother's garden smelled of lavender after the rain"
WORDS = ("grandmother", "garden", "lavender")
Status = VoiceNote.Status


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: Any) -> bytes:
    return speak(tmp_path_factory.mktemp("voice") / "said.wav", SAID).read_bytes()


@pytest.fixture(scope="module")
def recording(spoken: bytes) -> bytes:
    return encode(spoken, "ogg")


@pytest.fixture
def patient() -> Any:
    return member("patient-v", Role.PATIENT)


def upload(client: Any, data: bytes, *, private: bool = True) -> VoiceNote:
    fields = {"audio": SimpleUploadedFile("voice-note.ogg", data), "uid": str(uuid.uuid4())}
    response = post(client, "/voice/upload", {**fields, **({"private": "on"} if private else {})})
    assert response.status_code == 201, response.content
    return VoiceNote.objects.get(pk=json.loads(response.content)["id"])


def runs(data: bytes) -> list[str]:
    """Distinctive runs of the recording's bytes, as pg_dump and a row cast to text write bytea (hex)."""
    middle = len(data) // 2
    return [data[at : at + 24].hex() for at in (200, middle, len(data) - 64)]


def assert_nowhere(data: bytes, words: tuple[str, ...] = WORDS) -> None:
    dump = pg_dump().lower()
    for run in runs(data):
        assert run not in dump and tables_holding(run) == [], run
    for word in words:
        assert word not in dump and tables_holding(word) == [], word


def heard(client: Any, note: VoiceNote) -> dict[str, Any]:
    return json.loads(client.get(f"/voice/{note.pk}/status").content)


def played(client: Any, note: VoiceNote, range_header: str = "") -> Any:
    headers = {"Range": range_header} if range_header else {}
    return client.get(f"/voice/{note.pk}/audio", headers=headers)


def stored(note: VoiceNote) -> VoiceNote:
    return VoiceNote.objects.get(pk=note.pk)


@pytest.mark.django_db(transaction=True)  # committed, so pg_dump (another process) sees the rows
def test_it_keeps_a_private_recording_and_its_words_out_of_pg_dump_while_waiting_and_after_transcribing(
    patient, recording, monkeypatch
):
    client = signed_in(patient)
    note = upload(client, recording)
    assert stored(note).handed and stored(note).status == Status.QUEUED  # lent to the transcriber while it waits
    assert_nowhere(recording)
    seen: list[tuple[str, str]] = []
    report = jobs._Reporter.__call__

    def watched(self: Any, fraction: float, text: str | None = None) -> None:
        report(self, fraction, text)
        if text:  # just written: what the database holds, and what the patient's page shows
            row = VoiceNote.objects.get(pk=note.pk)
            seen.append((row.partial, heard(client, note)["partial"]))
            assert row.sealed_partial and not any(tables_holding(w) for w in text.lower().split() if len(w) > 5)

    monkeypatch.setattr(jobs._Reporter, "__call__", watched)
    assert QueueWorker().run_until_empty() >= 1
    status = heard(client, note)
    assert status["status"] == "done" and all(word in status["text"].lower() for word in ("garden", "lavender"))
    assert seen and all(column == "" and shown for column, shown in seen)  # the words came to the page as they were made
    assert stored(note).handed == b"" and stored(note).sealed_partial == b""  # the transcriber's copy is gone
    assert_nowhere(recording)
    entry = Entry.objects.get(pk=note.entry_id)  # no key here: as a database administrator reads it
    assert entry.locked and entry.text == "" and entry.sealed.startswith("1:")  # sealed to her public key, by the worker
    page = client.get(f"/entries/{entry.pk}").content.decode()
    assert "lavender" in page.lower() and "Voice note," in page  # her own title kept, the transcript added


def test_it_plays_a_private_recording_to_its_patient_whole_and_in_ranges(patient, spoken):
    recording = spoken  # a WAV, long enough for several sealed pieces
    assert len(recording) > 2 * sealing.PIECE
    client = signed_in(patient)
    note = upload(client, recording)
    raw = bytes(stored(note).audio)
    assert len(raw) == sealing.sealed_size(len(recording)) and recording[:64] not in raw
    whole = played(client, note)
    assert whole.status_code == 200 and whole.content == recording
    across = played(client, note, "bytes=65500-65599")  # across two sealed pieces
    assert across.status_code == 206 and across.content == recording[65500:65600]
    assert across["Content-Range"] == f"bytes 65500-65599/{len(recording)}"
    tail = played(client, note, "bytes=-100")
    assert tail.status_code == 206 and tail.content == recording[-100:]
    opened = played(client, note, f"bytes={len(recording) - 10}-")
    assert opened.content == recording[-10:]


def test_it_never_serves_a_clinician_or_a_request_without_the_key_the_recording(patient, recording):
    client = signed_in(patient)
    note = upload(client, recording)
    dr = member("dr-v", Role.CLINICIAN)
    refused = played(signed_in(dr), note)
    assert refused.status_code in (302, 403, 404) and recording[100:200] not in refused.content
    kept = stored(note)  # read with no key, as any code outside her own request
    assert privacy.playable(kept) is None and privacy.partial_of(kept) == ""
    assert privacy.audio_range(kept, 0, 99, lambda at, n: bytes(kept.audio)[at : at + n]) is None


def test_it_seals_a_recording_when_its_entry_is_marked_private_and_opens_it_when_unmarked(patient, recording):
    client = signed_in(patient)
    note = upload(client, recording, private=False)
    assert bytes(stored(note).audio) == recording  # not private: stored as it was
    entry = note.entry
    form = {"uid": str(entry.uid), "text": "Notes on the garden", "private": "on"}
    assert post(client, "/write/autosave", form).status_code == 200
    sealed = stored(note)
    assert sealed.audio_key and recording[1000:1100] not in bytes(sealed.audio)
    assert played(client, note).content == recording
    assert post(client, "/write/autosave", {**form, "private": ""}).status_code == 200
    opened = stored(note)
    assert bytes(opened.audio) == recording and opened.audio_key == b"" and opened.handed == b""


def test_it_still_plays_after_a_password_change_and_with_the_recovery_key_after_a_reset(patient, recording):
    note = upload(signed_in(patient), recording)
    client = signed_in(patient)
    form = {"current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD}
    assert post(client, "/account/password", form).status_code == 302
    again = browser()
    assert post(again, "/login", {"username": patient.username, "password": NEW_PASSWORD}).status_code == 302
    assert played(again, note).content == recording
    after_reset = reset(patient)
    data = {"action": "recover", "recovery_key": recovery[patient.pk], "password": NEW_PASSWORD}
    assert post(after_reset, "/account/private/locked", data).status_code == 302
    assert played(after_reset, note).content == recording


def test_it_answers_kindly_not_with_sealed_bytes_when_her_key_is_lost_after_a_reset(patient, recording):
    note = upload(signed_in(patient), recording)
    client = reset(patient)
    started = post(client, "/account/private/locked", {"action": "start", "password": NEW_PASSWORD, "understood": "on"})
    assert started.status_code == 302
    assert post(client, "/account/private/recovery-key", {"kept": "on"}).status_code == 302
    response = played(client, note)
    assert response.status_code == 409 and b"locked" in response.content
    page = client.get(f"/voice/{note.pk}").content.decode()
    assert 'id="recording-locked"' in page and "<audio" not in page
    assert "<audio" not in client.get(f"/entries/{note.entry_id}").content.decode()
    assert bytes(stored(note).audio)[:200] not in response.content
    VoiceNote.objects.filter(pk=note.pk).update(status=Status.FAILED)
    retried = post(client, f"/voice/{note.pk}/retry")
    assert retried.status_code == 302 and stored(note).status == Status.FAILED  # nothing handed over: it cannot be


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection between jobs
def test_it_drops_the_transcribers_key_on_failure_and_try_again_hands_it_over_once_more(patient, recording):
    client = signed_in(patient)
    note = upload(client, recording)
    VoiceNote.objects.filter(pk=note.pk).update(handed=b"")  # as after the server's SECRET_KEY changed
    QueueWorker().run_until_empty()
    failed = stored(note)
    assert failed.status == Status.FAILED and "Try again" in failed.problem and failed.handed == b""
    assert post(client, f"/voice/{note.pk}/retry").status_code == 302
    assert stored(note).status == Status.QUEUED and privacy.lent(stored(note)) is not None
    QueueWorker().run_until_empty()
    done = stored(note)
    assert done.status == Status.DONE and done.handed == b""
    assert "lavender" in heard(client, note)["text"].lower()


def test_it_exports_the_private_recording_opened_for_its_patient(patient, recording):
    client = signed_in(patient)
    note = upload(client, recording)
    with export_zip(client, "md") as archive:
        assert archive.read(f"entries/media/{note.uid}.ogg") == recording
    with export_zip(client, "json") as archive:
        assert archive.read(f"media/voice/{note.uid}.ogg") == recording


def test_it_keeps_the_recording_sealed_in_the_trash_and_plays_it_again_once_restored(patient, recording):
    client = signed_in(patient)
    note = upload(client, recording)
    item = trash.put(Entry.objects.get(pk=note.entry_id))
    plain = base64.b64encode(recording).decode()
    assert plain[400:480] not in item.payload
    trash.restore(item)
    assert played(client, note).content == recording


def test_it_seals_recordings_of_entries_marked_private_before_this_existed(patient, recording):
    from importlib import import_module

    from django.apps import apps

    client = signed_in(patient)
    note = upload(client, recording, private=False)
    assert post(client, "/write/autosave", {"uid": str(note.entry.uid), "text": "Earlier", "private": "on"}).status_code == 200
    VoiceNote.objects.filter(pk=note.pk).update(audio=recording, audio_key=b"", handed=b"")  # as stored before
    import_module("afterglow.media.migrations.0007_p19voice_sealed_recordings").seal_existing(apps, None)
    sealed = stored(note)
    assert sealed.audio_key.startswith(b"1") and recording[500:600] not in bytes(sealed.audio)  # to her public key
    assert played(client, note).content == recording


def _worker_until(note: VoiceNote, env: dict[str, str], wanted: str) -> VoiceNote:
    import subprocess
    import time

    from tests.clinic.processes import BIN, ROOT

    worker = subprocess.Popen([str(BIN / "afterglow"), "worker", "--interval", "0.1"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while (now := stored(note)).status != wanted:
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
            assert time.monotonic() < deadline, f"the worker left the note {now.status}"
            time.sleep(0.1)
        return now
    finally:
        worker.terminate()
        worker.wait(30)


@pytest.mark.django_db(transaction=True)
def test_it_is_transcribed_by_a_separate_worker_process_with_the_servers_secret_key_and_by_no_other(
    patient, recording, tmp_path, settings
):
    from tests.clinic.processes import clinic_env

    client = signed_in(patient)
    stranger = upload(client, recording)
    failed = _worker_until(stranger, clinic_env(tmp_path), Status.FAILED)  # another server's secret key opens nothing
    assert "Try again" in failed.problem and failed.handed == b""
    assert post(client, f"/voice/{stranger.pk}/retry").status_code == 302
    done = _worker_until(stranger, clinic_env(tmp_path, AFTERGLOW_SECRET_KEY=settings.SECRET_KEY), Status.DONE)
    assert done.handed == b"" and "lavender" in heard(client, stranger)["text"].lower()


@pytest.mark.django_db(transaction=True)
def test_it_seals_the_words_made_out_so_far_from_the_moment_the_entry_is_marked_private_mid_job(patient, recording, monkeypatch):
    client = signed_in(patient)
    note = upload(client, recording, private=False)
    rows: list[VoiceNote] = []
    report = jobs._Reporter.__call__

    def marked_on_the_first_words(self: Any, fraction: float, text: str | None = None) -> None:
        if text and not rows:
            form = {"uid": str(note.entry.uid), "text": "Typed while it ran", "private": "on"}
            assert post(client, "/write/autosave", form).status_code == 200
        report(self, fraction, text)
        if text:
            rows.append(VoiceNote.objects.get(pk=note.pk))

    monkeypatch.setattr(jobs._Reporter, "__call__", marked_on_the_first_words)
    QueueWorker().run_until_empty()
    assert rows and all(row.partial == "" and row.sealed_partial for row in rows)
    done = stored(note)
    assert done.status == Status.DONE and done.transcript_by == VoiceNote.Author.PERSON  # her typed words are kept
    assert done.handed == b"" and done.sealed_partial == b""
    assert "Typed while it ran" in client.get(f"/entries/{note.entry_id}").content.decode()
    assert_nowhere(recording, ("lavender",))


def test_it_seals_a_private_recording_brought_in_by_an_import_into_another_account(patient, recording):
    client = signed_in(patient)
    note = upload(client, recording)
    exported = post(client, "/export", {"format": "json", "include_private": "on"})
    packed = b"".join(exported.streaming_content) if exported.streaming else exported.content
    other = member("patient-w", Role.PATIENT)
    theirs = signed_in(other)
    upload_file = SimpleUploadedFile("afterglow-export.zip", packed)
    assert post(theirs, "/import", {"format": "json", "file": upload_file}).status_code == 302
    brought = VoiceNote.objects.get(owner=other)
    assert brought.entry.private and brought.audio_key and recording[300:400] not in bytes(brought.audio)
    assert played(theirs, brought).content == recording
    assert played(client, note).content == recording


@pytest.mark.django_db(transaction=True)
def test_it_keeps_a_private_recordings_words_out_of_the_quick_capture_answer_it_was_made_for(patient, recording):
    from afterglow.journal import capture
    from afterglow.journal.models import Capture
    from tests.journal.course_factories import course, days_ago, session

    s = session(patient, course(patient, days_ago(3)), days_ago(1))
    field = sorted(capture.voice_fields())[0]
    client = signed_in(patient)
    fields = {"audio": SimpleUploadedFile("voice-note.ogg", recording), "uid": str(uuid.uuid4()),
              "session": str(s.pk), "answer": field, "private": "on"}  # fmt: skip
    response = post(client, "/voice/upload", fields)
    assert response.status_code == 201
    note = VoiceNote.objects.get(pk=json.loads(response.content)["id"])
    assert note.answer_field == field
    QueueWorker().run_until_empty()
    assert "lavender" in heard(client, note)["text"].lower()  # in its own sealed entry
    answer = Capture.objects.filter(session=s).values_list(field, flat=True).first() or ""
    assert "lavender" not in answer.lower()
    assert_nowhere(recording, ("lavender",))


def test_it_seals_a_recording_uploaded_with_the_plain_forms_private_box(patient, recording):
    client = signed_in(patient)
    form = client.get("/voice/new").content.decode()
    assert 'name="private"' in form and "sealed on the server" in form
    response = post(client, "/voice/new", {"audio": SimpleUploadedFile("voice-note.ogg", recording), "private": "on"})
    assert response.status_code == 302
    note = VoiceNote.objects.get(owner=patient)
    assert note.audio_key and recording[300:400] not in bytes(note.audio)
    assert played(client, note).content == recording


def test_it_seals_a_recording_left_from_before_when_its_patient_first_gets_a_key_pair(patient, recording):
    from afterglow.journal.models import PrivateKeyring

    client = signed_in(patient)
    note = upload(client, recording, private=False)
    PrivateKeyring.objects.filter(owner=patient).delete()  # as on a server from before private entries were sealed
    Entry.objects.filter(pk=note.entry_id).update(private=True, text="Spoken long ago")  # stored in the clear then
    again = browser()
    assert post(again, "/login", {"username": patient.username, "password": PASSWORD}).status_code == 302
    sealed = stored(note)
    assert sealed.audio_key and recording[300:400] not in bytes(sealed.audio)
    assert post(again, "/account/private/recovery-key", {"kept": "on"}).status_code == 302
    assert played(again, note).content == recording


@pytest.mark.django_db(transaction=True)
def test_it_keeps_no_transcribers_key_in_the_trash_and_a_restored_recording_asks_for_try_again(patient, recording):
    client = signed_in(patient)
    note = upload(client, recording)
    assert stored(note).handed
    item = trash.put(Entry.objects.get(pk=note.entry_id))
    fields = next(o["fields"] for o in json.loads(item.payload)["objects"] if o["model"] == "media.voicenote")
    assert fields["handed"] == "" and fields["audio_key"]
    trash.restore(item)
    assert stored(note).status == Status.QUEUED and stored(note).handed == b""
    QueueWorker().run_until_empty()
    assert stored(note).status == Status.FAILED and "Try again" in stored(note).problem
    assert played(client, note).content == recording


@pytest.mark.django_db(transaction=True)
def test_a_finishing_job_waits_for_an_entry_being_saved_without_holding_its_recording(patient, recording):
    """A save of the entry takes the entry, then the recording (sealing or opening it): a job that finishes
    meanwhile must take them in the same order, or each would wait for the other."""
    import threading

    from django.db import transaction

    from afterglow.media.voice import engines

    client = signed_in(patient)
    note = upload(client, recording, private=False)
    assert jobs.claim(note.pk, "w1")
    saving, release, finished = threading.Event(), threading.Event(), threading.Event()

    def patient_saving() -> None:  # the entry's row held, as during Entry.save
        with transaction.atomic():
            list(Entry.objects.select_for_update().filter(pk=note.entry_id))
            saving.set()
            release.wait(20)
        connection.close()

    def job_finishing() -> None:
        jobs._finish(note.pk, "w1", "words", engines.Moonshine())
        finished.set()
        connection.close()

    holder = threading.Thread(target=patient_saving)
    holder.start()
    assert saving.wait(10)
    job = threading.Thread(target=job_finishing)
    job.start()
    try:
        assert not finished.wait(1.0)  # it waits for the entry...
        with transaction.atomic():  # ...without holding the recording meanwhile
            assert VoiceNote.objects.select_for_update(nowait=True).filter(pk=note.pk).exists()
    finally:
        release.set()
        holder.join(20)
        job.join(20)
    assert finished.is_set() and stored(note).status == Status.DONE
