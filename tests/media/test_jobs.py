"""Transcription jobs: real recognition, one job per recording, failures that keep the audio."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from afterglow.journal.search import search
from afterglow.lib.wer import word_error_rate
from afterglow.media.voice import engines, jobs, notes
from afterglow.media.voice.models import VoiceNote
from afterglow.media.voice.worker import QueueWorker
from afterglow.vault import keyring, session
from tests.media.speech import MIN_OVERLAP, SENTENCE, overlap

Status = VoiceNote.Status


@pytest.fixture
def note(patient, speech_ogg) -> VoiceNote:
    return notes.add(patient, speech_ogg)[0]


def _fresh(note: VoiceNote) -> VoiceNote:
    return VoiceNote.objects.select_related("entry").get(pk=note.pk)


def test_adding_a_recording_queues_one_job(note):
    assert note.status == Status.QUEUED
    assert DBTaskResult.objects.filter(id=VoiceNote.objects.get(pk=note.pk).task_id).count() == 1
    assert note.entry.mode == "voice" and note.entry.text == ""


def test_the_worker_turns_speech_into_the_entry_text(note, patient):
    assert QueueWorker().run_until_empty() == 1
    done = _fresh(note)
    assert done.status == Status.DONE and done.progress == 100 and done.engine == engines.engine().name
    if done.engine == "moonshine":
        assert word_error_rate(SENTENCE, done.entry.text) <= 0.1, done.entry.text
    else:
        assert overlap(SENTENCE, done.entry.text) >= MIN_OVERLAP, done.entry.text
    assert done.machine_made
    assert done.entry.revisions.count() == 1
    assert [hit.entry_id for hit in search(patient, "music")] == [done.entry.pk]


def test_progress_is_reported_while_it_works(note, monkeypatch):
    # Pocketsphinx's fixed-length utterances; Moonshine's pieces are checked in test_moonshine.py.
    monkeypatch.setattr(engines, "moonshine_installed", lambda: False)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)
    monkeypatch.setattr(engines, "UTTERANCE_SECONDS", 1)
    seen: list[int] = []
    jobs.transcribe(note.pk, worker="w1", progress=seen.append)
    assert len(seen) >= 3 and seen == sorted(seen) and 0 < seen[0] < 99


def test_a_second_job_for_the_same_recording_does_nothing_while_the_first_runs(note):
    assert jobs.claim(note.pk, "first")
    assert jobs.transcribe(note.pk, worker="second") == "skipped"
    assert _fresh(note).claimed_by == "first" and _fresh(note).status == Status.RUNNING


def test_a_job_whose_worker_died_can_be_taken_over(note):
    assert jobs.claim(note.pk, "first")
    VoiceNote.objects.filter(pk=note.pk).update(heartbeat_at=timezone.now() - jobs.STALE - timedelta(seconds=1))
    assert jobs.transcribe(note.pk, worker="second") == Status.DONE


def test_a_finished_recording_is_not_transcribed_again(note):
    assert jobs.transcribe(note.pk, worker="w1") == Status.DONE
    assert jobs.transcribe(note.pk, worker="w2") == "skipped"


class Broken:
    name = "broken"

    def transcribe(self, pcm, seconds, progress):
        raise engines.EngineError("The speech model could not be loaded.")


def test_a_failed_transcription_keeps_the_audio_and_says_why(note, speech_ogg, monkeypatch):
    monkeypatch.setattr(engines, "engine", Broken)
    assert jobs.transcribe(note.pk, worker="w1") == Status.FAILED
    failed = _fresh(note)
    assert failed.problem == "The speech model could not be loaded."
    assert bytes(failed.audio) == speech_ogg


def test_retry_queues_a_failed_transcription_again(note, monkeypatch):
    monkeypatch.setattr(engines, "engine", Broken)
    QueueWorker().run_until_empty()
    monkeypatch.undo()
    assert jobs.retry(_fresh(note))
    assert QueueWorker().run_until_empty() == 1
    assert _fresh(note).status == Status.DONE


def test_retry_refuses_a_recording_that_is_being_transcribed(note):
    assert jobs.claim(note.pk, "w1")
    assert not jobs.retry(_fresh(note))


def test_words_the_person_typed_are_never_overwritten_by_the_machine(note):
    notes.save_transcript(_fresh(note), "my own words")
    VoiceNote.objects.filter(pk=note.pk).update(status=Status.QUEUED)
    jobs.transcribe(note.pk, worker="w1")
    assert _fresh(note).entry.text == "my own words"


def test_deleting_the_note_mid_job_cancels_it(note, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)
    monkeypatch.setattr(engines, "UTTERANCE_SECONDS", 1)

    def delete_on_first_progress(percent: int) -> None:
        VoiceNote.objects.filter(pk=note.pk).delete()

    assert jobs.transcribe(note.pk, worker="w1", progress=delete_on_first_progress) == "skipped"


@pytest.mark.vault_locked
def test_the_worker_waits_while_the_journal_is_locked_and_resumes_after_unlock(patient, speech_ogg):
    keyring.remember(b"k" * 32)
    note = notes.add(patient, speech_ogg)[0]
    session.lock()
    worker = QueueWorker()
    assert worker.step() is False
    assert _fresh(note).status == Status.QUEUED
    keyring.remember(b"k" * 32)
    assert worker.run_until_empty() == 1
    assert _fresh(note).status == Status.DONE


def test_after_unlock_a_job_cut_short_is_given_again(note):
    # As if the server stopped mid-job: the task row says running, the heartbeat went stale.
    jobs.claim(note.pk, "gone")
    DBTaskResult.objects.update(status="RUNNING")
    VoiceNote.objects.filter(pk=note.pk).update(heartbeat_at=timezone.now() - jobs.STALE - timedelta(seconds=5))
    assert jobs.requeue_stranded() == 1
    assert QueueWorker().run_until_empty() == 1
    assert _fresh(note).status == Status.DONE


def test_long_recordings_are_cut_into_utterances_near_pauses(speech_wav):
    from afterglow.media.voice import audio

    pcm = b"".join(audio.pcm16k(speech_wav)) * 6  # about 33 s, the sentence six times
    pieces = list(engines.utterances(iter([pcm[i : i + 4000] for i in range(0, len(pcm), 4000)])))
    assert b"".join(pieces) == pcm
    step = engines.UTTERANCE_SECONDS * engines.BYTES_PER_SECOND
    assert len(pieces) >= 2 and all(step // 4 <= len(p) <= step for p in pieces[:-1])


def test_a_whisper_model_folder_that_is_missing_is_a_clear_failure(note, tmp_path, monkeypatch):
    monkeypatch.setenv(engines.WHISPER_ENV, str(tmp_path / "no-such-model"))
    assert jobs.transcribe(note.pk, worker="w1") == Status.FAILED
    assert "not a folder with a faster-whisper model" in _fresh(note).problem


def test_whisper_without_its_package_says_how_to_install_it(note, tmp_path, monkeypatch):
    try:
        import faster_whisper  # noqa: F401

        pytest.skip("faster-whisper is installed here")
    except ImportError:
        pass
    monkeypatch.setenv(engines.WHISPER_ENV, str(tmp_path))
    assert jobs.transcribe(note.pk, worker="w1") == Status.FAILED
    assert "pip install faster-whisper" in _fresh(note).problem


def test_a_job_cut_by_a_lock_is_given_again_right_after_unlock(note):
    worker = QueueWorker()
    # As the worker leaves it when a lock closes the database mid-job: the note claimed
    # by this worker with a fresh heartbeat, the task row still marked running.
    jobs.claim(note.pk, worker.worker)
    DBTaskResult.objects.update(status="RUNNING")
    assert worker.run_until_empty() == 0  # without knowing of the cut, a fresh claim is left alone
    worker._cut = True
    assert worker.run_until_empty() == 1
    assert _fresh(note).status == Status.DONE


def test_the_worker_loop_survives_an_error_and_remembers_the_cut(monkeypatch):
    worker = QueueWorker(interval=0.01)
    calls = []

    def failing_step() -> bool:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Cannot operate on a closed database.")
        worker.stop.set()
        return False

    monkeypatch.setattr(worker, "step", failing_step)
    worker.run_forever()
    assert len(calls) == 2 and worker._cut


def test_old_records_of_finished_jobs_are_pruned(note):
    QueueWorker().run_until_empty()
    assert jobs.prune_finished() == 0
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=8))
    assert jobs.prune_finished() == 1
    assert _fresh(note).status == Status.DONE


def test_a_claim_names_the_process_so_a_worker_thread_can_release_what_it_claimed():
    import threading

    seen: list[str] = []
    thread = threading.Thread(target=lambda: seen.append(jobs.worker_id()))
    thread.start()
    thread.join()
    assert seen == [QueueWorker().worker]


def test_faster_whisper_too_is_never_given_music(patient, tmp_path, monkeypatch):
    from tests.media.speech import music, wav_bytes

    given: list[int] = []

    class Model:  # stands in for a faster-whisper model folder, which no package here ships
        def transcribe(self, samples, **options):
            given.append(len(samples))
            return [], None

    monkeypatch.setenv(engines.WHISPER_ENV, str(tmp_path))
    monkeypatch.setattr(engines, "_whisper_model", lambda folder: Model())
    music_note = notes.add(patient, wav_bytes(music(12)))[0]
    assert jobs.transcribe(music_note.pk, worker="w1") == Status.DONE
    assert given == [] and _fresh(music_note).remark == jobs.NO_SPEECH
