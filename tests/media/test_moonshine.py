"""Moonshine, the default recogniser: journal sentences understood, words shown as they come, never a network call."""

from __future__ import annotations

import importlib
import itertools
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from afterglow.lib.wer import word_error_rate
from afterglow.media.voice import audio, engines, jobs, notes
from afterglow.media.voice import worker as worker_module
from afterglow.media.voice.models import VoiceNote
from afterglow.media.voice.worker import QueueWorker
from tests.media.speech import music, wav_bytes

pytestmark = pytest.mark.skipif(not engines.moonshine_installed(), reason="moonshine-cpp has no wheel for this platform")

Status = VoiceNote.Status
# Our own journal-like sentences, said in pairs; a short pause, then a long one between the pairs.
SAID = [
    ("After the session I felt light and a little sleepy.", "There was a warm feeling in my chest that stayed with me."),
    ("I remembered walking by the river with my brother.", "We laughed about the old blue boat we used to paddle."),
    ("Tonight I want to rest and drink plenty of water.", "Tomorrow I will call my friend and tell her how it went."),
]
PAUSES = [1.2, 3.0]  # seconds: a new piece, then a new paragraph


def _say(text: str, tmp: Path) -> np.ndarray:
    wav = tmp / "said.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), text], check=True, capture_output=True)
    pcm = b"".join(audio.pcm16k(wav.read_bytes()))
    return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0


def _quiet(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * audio.RATE), dtype=np.float32)


class NetworkUsed(AssertionError):
    pass


def _no_network(monkeypatch: pytest.MonkeyPatch, home: Path) -> list[str]:
    """Any attempt to reach another machine fails loudly and is remembered; HOME is an empty folder."""
    tried: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        tried.append(repr(args[:2]))
        raise NetworkUsed("a network connection was attempted")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(urllib.request, "urlretrieve", refuse)
    monkeypatch.setenv("HOME", str(home))
    return tried


@pytest.fixture(scope="module")
def heard(tmp_path_factory) -> dict:
    """One run of the engine over the three pairs (about 20 s of speech), with the network blocked
    and the model loaded afresh inside the block."""
    tmp = tmp_path_factory.mktemp("moonshine")
    parts = [_say(" ".join(pair), tmp) for pair in SAID]
    samples = np.concatenate([parts[0], _quiet(PAUSES[0]), parts[1], _quiet(PAUSES[1]), parts[2]])
    pcm = (samples * 32767).astype(np.int16).tobytes()
    calls: list[tuple[float, str | None]] = []
    with pytest.MonkeyPatch.context() as patch:
        tried = _no_network(patch, tmp / "home")
        engines.moonshine_model.cache_clear()
        chunks = (pcm[i : i + 8192] for i in range(0, len(pcm), 8192))
        engine = engines.Moonshine()
        text = engine.transcribe(chunks, len(samples) / audio.RATE, lambda f, t=None: calls.append((f, t)))
    return {"text": text, "calls": calls, "tried": tried, "home": tmp / "home", "first": parts[0],
            "imported": "moonshine_cpp" in sys.modules, "doubts": engine.doubts}  # fmt: skip


def test_it_gets_at_least_nine_in_ten_words_of_journal_sentences_right(heard):
    said = " ".join(" ".join(pair) for pair in SAID)
    assert word_error_rate(said, heard["text"]) <= 0.10, heard["text"]


def test_it_never_reaches_the_network_nor_downloads_a_model(heard):
    assert heard["tried"] == []
    assert not (heard["home"] / "moonshine-models").exists()
    # The package's module, which holds the code that downloads other languages' models, is never imported.
    assert not heard["imported"]
    assert heard["text"]  # it did its work inside the block


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))


def test_memory_does_not_grow_with_each_piece(heard):
    # The wheel's C++ library kept ~8 MB per token written (~200 MB for this piece, every time).
    model, piece = engines.moonshine_model(), heard["first"]
    model.transcribe(piece)
    settled = _rss_mb()
    for _ in range(2):
        model.transcribe(piece)
    assert _rss_mb() - settled < 60


def test_a_long_pause_starts_a_new_paragraph_and_sentences_are_punctuated(heard):
    paragraphs = heard["text"].split("\n\n")
    assert len(paragraphs) == 2, heard["text"]
    assert all(p[0].isupper() and p.rstrip()[-1] in ".!?" for p in paragraphs)
    assert word_error_rate(" ".join(SAID[2]), paragraphs[1]) <= 0.2


def test_the_words_come_piece_by_piece_with_growing_progress(heard):
    texts = [t for _, t in heard["calls"]]
    fractions = [f for f, _ in heard["calls"]]
    assert len(texts) == 3 and fractions == sorted(fractions) and 0 < fractions[0] < 0.5
    # (a piece's closing full stop may be adjusted when the next one is joined to it)
    assert all(later.startswith(earlier.rstrip(".")) for earlier, later in itertools.pairwise(texts))
    assert texts[-1] == heard["text"]


def test_a_piece_shorter_than_the_model_accepts_does_not_bring_down_the_process():
    # The encoder refuses a few dozen samples (libmoonshine even aborted the process); they are padded with quiet.
    assert engines.moonshine_model().transcribe(np.zeros(100, dtype=np.float32)) == ""


@pytest.fixture
def spoken(patient, speech_ogg) -> VoiceNote:
    return notes.add(patient, speech_ogg)[0]


def test_each_transcript_records_the_engine_and_model_and_the_page_says_so(client, spoken):
    QueueWorker().run_until_empty()
    done = VoiceNote.objects.get(pk=spoken.pk)
    assert (done.status, done.engine, done.model) == (Status.DONE, "moonshine", "base-en")
    assert done.partial == "" and done.remark == ""
    page = client.get(f"/voice/{done.pk}").content.decode()
    assert "Transcribed on this computer by Moonshine (model base-en)" in page


def test_the_model_is_loaded_once_per_worker_and_reused(patient, speech_ogg, monkeypatch):
    loads: list[Path] = []
    real = engines.MoonshineModel

    def counted(folder: Path) -> engines.MoonshineModel:
        loads.append(folder)
        return real(folder)

    monkeypatch.setattr(engines, "MoonshineModel", counted)
    engines.moonshine_model.cache_clear()
    first, second = notes.add(patient, speech_ogg)[0], notes.add(patient, speech_ogg)[0]
    assert QueueWorker().run_until_empty() == 2
    assert {VoiceNote.objects.get(pk=n.pk).status for n in (first, second)} == {Status.DONE}
    assert len(loads) == 1
    engines.moonshine_model.cache_clear()


def test_the_text_so_far_is_on_the_status_page_while_the_job_runs(client, spoken, monkeypatch):
    seen: list[dict] = []

    class TwoPieces:
        name, model = "moonshine", "base-en"

        def transcribe(self, pcm, seconds, progress):
            progress(0.5, "I slept well.")
            seen.append(client.get(f"/voice/{spoken.pk}/status").json())
            progress(0.9, "I slept well. The garden was quiet.")
            seen.append(client.get(f"/voice/{spoken.pk}/status").json())
            return "I slept well. The garden was quiet."

    monkeypatch.setattr(engines, "engine", TwoPieces)
    assert jobs.transcribe(spoken.pk, worker="w1") == Status.DONE
    assert [(s["status"], s["partial"], s["progress"]) for s in seen] == [
        ("running", "I slept well.", 50),
        ("running", "I slept well. The garden was quiet.", 90),
    ]
    final = client.get(f"/voice/{spoken.pk}/status").json()
    assert final["partial"] == "" and final["text"] == "I slept well. The garden was quiet."


def _noise(seconds: float, level: float, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, level, int(seconds * audio.RATE))


@pytest.mark.parametrize(
    "samples",
    [
        pytest.param(_noise(4.0, 0.004), id="room-noise"),
        pytest.param(np.concatenate([_noise(0.1, 0.002), _noise(0.02, 0.6), _noise(0.08, 0.002)]), id="a-0.2-s-click"),
    ],
)
def test_no_words_give_an_empty_transcript_with_a_kind_note_and_the_recording_stays(patient, client, samples):
    data = wav_bytes(samples)
    note = notes.add(patient, data)[0]
    assert QueueWorker().run_until_empty() == 1
    done = VoiceNote.objects.select_related("entry").get(pk=note.pk)
    assert done.status == Status.DONE and done.entry.text == "" and done.remark == jobs.NO_WORDS
    assert bytes(done.audio) == data
    page = client.get(f"/voice/{done.pk}").content.decode()
    assert "No spoken words were heard" in page and "Try again" not in page
    assert client.get(f"/voice/{done.pk}/status").json()["remark"] == jobs.NO_WORDS


def test_a_model_folder_named_by_the_environment_must_hold_the_model(tmp_path, monkeypatch):
    monkeypatch.setenv(engines.MOONSHINE_ENV, str(tmp_path))
    engines.moonshine_installed.cache_clear()
    try:
        assert not engines.moonshine_installed()
        with pytest.raises(engines.EngineError, match="incomplete"):
            engines.MoonshineModel(engines.moonshine_folder())
    finally:
        engines.moonshine_installed.cache_clear()


def test_a_damaged_token_table_is_a_clear_error():
    with pytest.raises(engines.EngineError, match="damaged"):
        engines.read_tokens(bytes([5]) + b"<unk>" + bytes([40]) + b"cut short")


def test_where_moonshine_does_not_install_pocketsphinx_takes_over(spoken, monkeypatch):
    monkeypatch.setattr(engines, "moonshine_installed", lambda: False)
    assert isinstance(engines.engine(), engines.Pocketsphinx)
    assert jobs.transcribe(spoken.pk, worker="w1") == Status.DONE
    done = VoiceNote.objects.get(pk=spoken.pk)
    assert (done.engine, done.model) == ("pocketsphinx", "en-us")


def test_transcripts_made_before_moonshine_are_marked_as_pocketsphinx(patient, speech_ogg):
    migration = importlib.import_module("afterglow.media.migrations.0004_voice_engine_and_model")
    older, whisper, waiting = (notes.add(patient, speech_ogg)[0] for _ in range(3))
    VoiceNote.objects.filter(pk=older.pk).update(status=Status.DONE, engine="", model="")
    VoiceNote.objects.filter(pk=whisper.pk).update(status=Status.DONE, engine="whisper", model="")
    from django.apps import apps

    migration.name_the_earlier_engine(apps, None)
    rows = {n.pk: (n.engine, n.model) for n in VoiceNote.objects.all()}
    assert rows[older.pk] == ("pocketsphinx", "en-us")
    assert rows[whisper.pk] == ("whisper", "") and rows[waiting.pk] == ("", "")


def test_the_page_of_a_running_job_shows_the_words_so_far(client, spoken):
    VoiceNote.objects.filter(pk=spoken.pk).update(status=Status.RUNNING, progress=40, partial="The garden was quiet.")
    page = client.get(f"/voice/{spoken.pk}").content.decode()
    assert 'data-voice-partial aria-live="polite"' in page and "The garden was quiet." in page


def test_a_long_running_worker_lets_go_of_the_model_while_the_journal_is_locked_and_loads_it_at_unlock(patient, monkeypatch):
    worker = QueueWorker(interval=0.01)
    key: list[object] = [None]
    monkeypatch.setattr(worker_module, "_current_key", lambda: key[0])
    loaded: list[bool] = []

    def step() -> bool:
        loaded.append(engines.loaded())
        if len(loaded) == 2:
            key[0] = object()  # unlocked
        if len(loaded) == 4:
            key[0] = None  # locked again
        if len(loaded) == 6:
            worker.stop.set()
        return real_step()

    real_step = worker.step
    monkeypatch.setattr(worker, "step", step)
    engines.warm()
    assert engines.loaded()  # left by an earlier process state: a locked worker lets go of it at its first look
    worker.run_forever()
    # (as each step begins) let go of at the first step, locked; loaded in the second, unlocked; let go in the fourth
    assert loaded == [True, False, True, True, False, False]
    assert not engines.loaded()


def test_warming_up_loads_the_model_that_jobs_then_reuse(monkeypatch):
    loads: list[Path] = []
    real = engines.MoonshineModel
    monkeypatch.setattr(engines, "MoonshineModel", lambda folder: loads.append(folder) or real(folder))
    engines.moonshine_model.cache_clear()
    engines.warm()
    assert engines.moonshine_model() is engines.moonshine_model() and len(loads) == 1


def test_a_model_that_cannot_load_does_not_keep_the_worker_from_its_jobs(patient, monkeypatch):
    worker = QueueWorker(interval=0.01)
    tries: list[int] = []

    def broken() -> None:
        tries.append(1)
        raise MemoryError("no room for the model")

    monkeypatch.setattr(engines, "warm", broken)
    steps: list[int] = []

    def step() -> bool:
        steps.append(1)
        if len(steps) == 2:
            worker.stop.set()
        return False

    monkeypatch.setattr(worker, "step", step)
    worker.run_forever()
    assert tries == [1] and len(steps) == 2


def test_the_worker_runs_the_model_once_as_it_starts_and_its_first_job_does_not_load_it_again(patient, speech_ogg, monkeypatch):
    events: list[str] = []
    real_model, real_hear = engines.MoonshineModel, engines.MoonshineModel.hear

    def loaded(folder: Path) -> engines.MoonshineModel:
        events.append("load")
        return real_model(folder)

    def ran(model: engines.MoonshineModel, samples: np.ndarray) -> engines.Heard:
        events.append("silence" if not samples.any() else "speech")
        return real_hear(model, samples)

    monkeypatch.setattr(engines, "MoonshineModel", loaded)
    monkeypatch.setattr(real_model, "hear", ran)
    engines.moonshine_model.cache_clear()
    note = notes.add(patient, speech_ogg)[0]
    worker = QueueWorker(interval=0.01)
    real_step = worker.step

    def step() -> bool:
        events.append("step")
        if real_step() or events.count("step") > 100:
            worker.stop.set()
        return True

    monkeypatch.setattr(worker, "step", step)
    worker.run_forever()
    assert VoiceNote.objects.get(pk=note.pk).status == Status.DONE
    # Loaded and warmed by a second of quiet before the first look at the queue; the job only recognises.
    assert events[:3] == ["load", "silence", "step"] and "load" not in events[3:] and "speech" in events
    engines.moonshine_model.cache_clear()


def test_onnx_runtime_threads_wait_without_spinning_and_use_at_most_two_cores():
    # Spinning threads burn a core the web pages need while the decoder waits between tokens.
    options = engines.session_options()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert 1 <= options.intra_op_num_threads <= 2 and options.enable_cpu_mem_arena


def test_onnx_runtime_keeps_no_memory_plan_per_input_shape():
    # The decoder's cache grows a token at a time, so a plan per shape only piles up (~200 MB, bench/README.md).
    assert not engines.session_options().enable_mem_pattern


# Our own sentences in languages Moonshine base-en was not trained on (espeak-ng's German and Spanish voices).
ELSEWHERE = {
    "de": "Nach der Sitzung fühlte ich mich leicht und ein wenig müde. Ich habe an meinen Bruder und den alten Fluss gedacht.",
    "es": "Después de la sesión me sentí ligera y un poco cansada. Recordé cuando caminaba por el río con mi hermano.",
}


def _say_in(language: str, text: str, tmp: Path) -> bytes:
    wav = tmp / f"{language}.wav"
    subprocess.run(["espeak-ng", "-v", language, "-s", "150", "-w", str(wav), text], check=True, capture_output=True)
    return wav.read_bytes()


def test_english_journal_sentences_are_neither_left_out_nor_remarked_on(heard):
    assert heard["doubts"].unsure == 0 and heard["doubts"].not_speech == 0
    assert jobs.remark_for(heard["text"], heard["doubts"]) == ""


@pytest.mark.parametrize("language", ["de", "es"])
def test_a_note_in_another_language_gets_no_made_up_english_and_a_kind_word(patient, client, tmp_path, language):
    data = _say_in(language, ELSEWHERE[language], tmp_path)
    note = notes.add(patient, data)[0]
    assert QueueWorker().run_until_empty() == 1
    done = VoiceNote.objects.select_related("entry").get(pk=note.pk)
    assert (done.status, done.entry.text, done.remark) == (Status.DONE, "", jobs.NOT_ENGLISH)
    assert bytes(done.audio) == data and client.get(f"/voice/{done.pk}/audio").status_code == 200
    page = client.get(f"/voice/{done.pk}").content.decode()
    assert "only understands English" in page and "Try again" not in page


def test_a_stretch_in_another_language_is_left_out_and_the_english_kept(tmp_path):
    english = _say(" ".join(SAID[0]), tmp_path)
    german = np.frombuffer(b"".join(audio.pcm16k(_say_in("de", ELSEWHERE["de"], tmp_path))), dtype=np.int16) / 32768
    samples = np.concatenate([english, _quiet(3.0), german])
    engine = engines.Moonshine()
    text = engine.transcribe([(samples * 32767).astype(np.int16).tobytes()], len(samples) / audio.RATE, lambda f, t=None: None)
    assert word_error_rate(" ".join(SAID[0]), text) <= 0.15, text
    assert engine.doubts.unsure >= 0.8 * len(german) / audio.RATE
    assert jobs.remark_for(text, engine.doubts).startswith("Some of this recording (about ")


def test_music_is_skipped_before_the_model_runs_and_the_note_says_it_heard_no_talk(patient, client, monkeypatch):
    ran: list[int] = []
    real = engines.MoonshineModel.hear
    monkeypatch.setattr(engines.MoonshineModel, "hear", lambda model, samples: ran.append(len(samples)) or real(model, samples))
    data = wav_bytes(np.concatenate([music(12), music(12, seed=1, plucked=True)]))
    note = notes.add(patient, data)[0]
    assert QueueWorker().run_until_empty() == 1
    done = VoiceNote.objects.select_related("entry").get(pk=note.pk)
    assert (done.status, done.entry.text, done.remark) == (Status.DONE, "", jobs.NO_SPEECH)
    assert ran == [] and bytes(done.audio) == data
    assert "sounded like music" in client.get(f"/voice/{done.pk}").content.decode()


def test_unsure_pieces_are_those_with_low_confidence_or_no_words_after_speech():
    sure = engines.Heard("I slept well.", confidence=-0.2, ran_out=False)
    assert not sure.unsure(3.0)
    assert engines.Heard("I slept well.", confidence=-0.9, ran_out=False).unsure(5.0)
    # a short piece's confidence says little: its words are kept
    assert not engines.Heard("I went to Berlin.", confidence=-0.7, ran_out=False).unsure(3.3)
    # English cut mid-word by a pause can loop with confidence: the joiner keeps the phrase once
    assert not engines.Heard("the music helped me, the music helped me", confidence=-0.16, ran_out=True).unsure(3.0)
    assert engines.Heard("", confidence=-0.2, ran_out=False).unsure(3.0)
    assert not engines.Heard("", confidence=-0.2, ran_out=False).unsure(0.5)  # a cough, a breath


def test_the_remark_says_what_was_left_out_and_why():
    assert jobs.remark_for("", engines.Doubts()) == jobs.NO_WORDS
    assert jobs.remark_for("", engines.Doubts(not_speech=600)) == jobs.NO_SPEECH
    assert jobs.remark_for("", engines.Doubts(heard=20, unsure=20)) == jobs.NOT_ENGLISH
    assert jobs.remark_for("Hello.", engines.Doubts(heard=60, unsure=30)) == jobs.PARTLY_ENGLISH.format(seconds="30 seconds")
    assert "(about 4 seconds) was not clear" in jobs.remark_for("Hello.", engines.Doubts(heard=60, unsure=4))
    assert "about 2 min 5 s" in jobs.remark_for("Hello.", engines.Doubts(heard=600, unsure=125))
    assert jobs.remark_for("Hello.", engines.Doubts(heard=60, not_speech=30)) == ""
