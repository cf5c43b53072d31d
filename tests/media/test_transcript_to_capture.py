"""A recording made for a capture answer: its transcript reaches that answer when the job finishes,
even when the person has left the step (or closed the page) before it was ready."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from afterglow.journal import capture
from afterglow.journal.models import Capture
from afterglow.media.voice import engines, jobs
from afterglow.media.voice.models import VoiceNote
from tests.conftest import csrf_post
from tests.journal.course_factories import course, days_ago, session

HEARD = "a low hum and then birdsong"


class Fixed:
    """A recogniser that always hears the same words (recognition itself is tested in test_jobs.py)."""

    name, model = "fixed", "test"

    def transcribe(self, pcm, seconds, progress) -> str:
        return f"  {HEARD} "


@pytest.fixture
def fixed_engine(monkeypatch):
    monkeypatch.setattr(engines, "engine", lambda: Fixed())


@pytest.fixture
def s(patient):
    return session(patient, course(patient), days_ago(0))


def upload(client, s, speech_ogg, answer: str):
    fields = {"audio": SimpleUploadedFile("voice-note.ogg", speech_ogg), "session": str(s.pk), "answer": answer}
    response = csrf_post(client, "/voice/upload", fields, HTTP_ACCEPT="application/json")
    assert response.status_code == 201, response.content
    return VoiceNote.objects.get(pk=response.json()["id"])


def finish(note: VoiceNote) -> str:
    return jobs.transcribe(note.pk, worker="test")


def test_finishing_the_job_fills_the_answer_when_the_page_is_gone(client, s, speech_ogg, fixed_engine):
    note = upload(client, s, speech_ogg, "heard")
    assert note.answer_field == "heard" and not Capture.objects.exists()
    assert finish(note) == VoiceNote.Status.DONE
    kept = Capture.objects.get(session=s)
    assert kept.heard == HEARD and kept.machine_made == ["heard"]
    assert "Machine-made" in client.get(f"/sessions/{s.pk}/capture/3").content.decode()


def test_the_transcript_goes_after_what_was_typed_never_instead(client, s, speech_ogg, fixed_engine):
    capture.save_step(s, capture.step_at(3), {"heard": "Rain on a roof."})
    finish(upload(client, s, speech_ogg, "heard"))
    assert Capture.objects.get(session=s).heard == f"Rain on a roof.\n{HEARD}"


def test_a_short_answer_gets_the_words_on_the_same_line(client, s, speech_ogg, fixed_engine):
    capture.save_step(s, capture.step_at(2), {"saw_colours": "gold"})
    finish(upload(client, s, speech_ogg, "saw_colours"))
    kept = Capture.objects.get(session=s)
    assert kept.saw_colours == f"gold {HEARD}" and kept.machine_made == ["saw_colours"]


def test_a_transcript_the_page_already_added_is_not_added_twice(s):
    capture.save_step(s, capture.step_at(3), {"heard": f"Rain.\n{HEARD}"}, machine=["heard"])
    capture.add_transcript(s, "heard", HEARD)
    assert Capture.objects.get(session=s).heard == f"Rain.\n{HEARD}"


def test_only_a_capture_text_answer_can_be_named(client, s, speech_ogg, fixed_engine):
    for name in ("sensations", "owner_id", "<script>"):
        note = upload(client, s, speech_ogg, name)
        assert note.answer_field == ""
        finish(note)
    assert not Capture.objects.exists()


def test_a_recording_without_a_session_is_not_linked_to_any_answer(client, patient, speech_ogg, fixed_engine):
    fields = {"audio": SimpleUploadedFile("voice-note.ogg", speech_ogg), "answer": "heard"}
    response = csrf_post(client, "/voice/upload", fields, HTTP_ACCEPT="application/json")
    note = VoiceNote.objects.get(pk=response.json()["id"])
    finish(note)
    assert note.answer_field == "" and not Capture.objects.exists()
    assert VoiceNote.objects.select_related("entry").get(pk=note.pk).entry.text == HEARD
