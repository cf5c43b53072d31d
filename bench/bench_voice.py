"""Voice transcription on this machine: word error rate, real-time factor, first words after Stop, memory.

    .venv/bin/python bench/bench_voice.py [--engines moonshine,pocketsphinx,whisper] [--long-minutes 60]

Speech is generated with espeak-ng from 24 journal-like sentences of our own, in
two voices and at two speeds. For each (voice, speed) the sentences make one
note of about a minute and a half, with short pauses between sentences and a
long one every six (as a person pausing to think), decoded in memory with PyAV
and recognised as a job does it. Engines: Moonshine base-en (the default),
pocketsphinx (the fallback) and faster-whisper when AFTERGLOW_WHISPER_MODEL is set.
Prints, per engine and condition, word error rate (WER) and real-time factor
(RTF = decode + recognition time ÷ audio length), and the processor time spent
per second of audio (all threads; what RTF would be on one idle core, so a
figure that a busy shared machine does not inflate); then for the default engine:
  * time from Stop to first words for a 60 s note (WebM/Opus, as the browser
    uploads it): the upload check, then the first piece recognised; with the model
    already loaded by the worker, and on the first job after start (model load);
  * peak resident memory of the worker process while it transcribes that note;
  * a --long-minutes recording (default 60) decoded and cut into pieces as a job
    does, to show memory does not grow with length (recognition holds one piece).
The machine's load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")

SENTENCES = [
    "After the session I felt light and a little sleepy.",
    "There was a warm feeling in my chest that stayed with me.",
    "I remembered walking by the river with my brother.",
    "We laughed about the old blue boat we used to paddle.",
    "The music made me think of rain on a quiet roof.",
    "For a while my hands felt heavy and far away.",
    "I saw soft shapes moving like waves of green and gold.",
    "Then a feeling of sadness came and slowly passed.",
    "I want to be more patient with myself this week.",
    "My mother's voice seemed close, and I was not afraid.",
    "I noticed how tired I have been for a long time.",
    "The nurse was kind and the room was calm and dim.",
    "Afterwards I ate some soup and rested on the sofa.",
    "I wrote a short letter to my younger self.",
    "It said that I am allowed to take up space.",
    "The dizziness faded after about an hour.",
    "Tonight I want to rest and drink plenty of water.",
    "Tomorrow I will call my friend and tell her how it went.",
    "I hope to walk in the park before my next session.",
    "Something about the light felt like a fresh start.",
    "I am grateful that my partner drove me home.",
    "My thoughts were slower and gentler than usual.",
    "I would like to keep this sense of peace a little longer.",
    "Next time I want to bring a blanket and my own music.",
]
# Our own journal-like sentences in four languages espeak-ng speaks, for --languages: Moonshine base-en knows
# only English, and should be unsure of these rather than make up English.
OTHER_LANGUAGES = {
    "de": [
        "Nach der Sitzung fühlte ich mich leicht und ein wenig müde.",
        "Ich habe an meinen Bruder und den alten Fluss gedacht.",
        "Heute Abend möchte ich ruhen und viel Wasser trinken.",
        "Morgen rufe ich meine Freundin an und erzähle ihr alles.",
        "Die Musik klang wie Regen auf einem stillen Dach.",
        "Ich bin dankbar, dass mein Partner mich nach Hause gefahren hat.",
    ],
    "es": [
        "Después de la sesión me sentí ligera y un poco cansada.",
        "Recordé cuando caminaba por el río con mi hermano.",
        "Esta noche quiero descansar y beber mucha agua.",
        "Mañana llamaré a mi amiga para contarle cómo fue.",
        "La música sonaba como la lluvia sobre un tejado tranquilo.",
        "Estoy agradecida de que mi pareja me llevó a casa.",
    ],
    "fr": [
        "Après la séance je me suis sentie légère et un peu fatiguée.",
        "Je me suis souvenue de mon frère et de la vieille rivière.",
        "Ce soir je veux me reposer et boire beaucoup d'eau.",
        "Demain j'appellerai mon amie pour lui raconter la journée.",
        "La musique ressemblait à la pluie sur un toit tranquille.",
        "Je suis reconnaissante que mon partenaire m'ait ramenée.",
    ],
    "it": [
        "Dopo la seduta mi sono sentita leggera e un po' stanca.",
        "Ho ricordato quando camminavo lungo il fiume con mio fratello.",
        "Stasera voglio riposare e bere molta acqua.",
        "Domani chiamerò la mia amica per raccontarle tutto.",
        "La musica sembrava pioggia su un tetto tranquillo.",
        "Sono grata che il mio compagno mi abbia portato a casa.",
    ],
}
VOICES = ["en-us", "en-us+klatt4"]
SPEEDS = [140, 180]  # words a minute
SHORT_PAUSE, LONG_PAUSE, EVERY = 0.7, 3.0, 6
TARGETS = {"wer": 0.10, "rtf": 0.5, "first_words_s": 5.0}
RATE = 16_000


def speak(text: str, voice: str, speed: int) -> np.ndarray:
    """espeak-ng's speech as 16 kHz samples (its temporary WAV is removed at once)."""
    from afterglow.media.voice import audio

    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", tmp.name, text], check=True, capture_output=True)
        pcm = b"".join(audio.pcm16k(Path(tmp.name).read_bytes()))
    return np.frombuffer(pcm, dtype=np.int16)


def note_of(sentences: list[str], voice: str, speed: int) -> np.ndarray:
    parts: list[np.ndarray] = []
    for i, sentence in enumerate(sentences):
        if i:
            parts.append(np.zeros(int((LONG_PAUSE if i % EVERY == 0 else SHORT_PAUSE) * RATE), dtype=np.int16))
        parts.append(speak(sentence, voice, speed))
    return np.concatenate(parts)


def wav(samples: np.ndarray) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.astype("<i2").tobytes())
    return out.getvalue()


def webm(samples: np.ndarray) -> bytes:
    """Opus in WebM at 48 kHz, what Chromium's MediaRecorder uploads."""
    import av

    out = io.BytesIO()
    with av.open(out, mode="w", format="webm") as dst:
        stream = dst.add_stream("libopus", rate=48000, layout="mono")
        resampler = av.AudioResampler(format=stream.codec_context.format, layout="mono", rate=48000)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1).astype(np.int16), format="s16", layout="mono")
        frame.sample_rate = RATE
        for piece in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(piece):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    return out.getvalue()


class PeakRss:
    """The largest resident set of this process seen while the block runs (sampled every 20 ms)."""

    def __enter__(self) -> PeakRss:
        self.peak, self._stop = rss_mb(), threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load() -> str:
    return "load {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def engines_wanted(names: list[str]) -> dict[str, Callable[[], object]]:
    from afterglow.media.voice import engines

    available: dict[str, Callable[[], object]] = {"pocketsphinx": engines.Pocketsphinx}
    if engines.moonshine_installed():
        available["moonshine"] = engines.Moonshine
    model = os.environ.get(engines.WHISPER_ENV, "").strip()
    if model:
        available["whisper"] = lambda: engines.Whisper(Path(model).expanduser())
    return {name: available[name] for name in names if name in available}


CPU = {"seconds": 0.0}  # processor time of the last recognise(), all threads


def recognise(engine, data: bytes, on_text: Callable[[float, str | None], None] | None = None) -> tuple[str, float, float]:  # type: ignore[no-untyped-def]
    """(text, seconds of audio, seconds spent decoding + recognising), as a job does it."""
    from afterglow.media.voice import audio

    seconds = audio.check(data).seconds  # done at upload time, not by the job: not timed here
    started, cpu = time.perf_counter(), time.process_time()
    text = engine.transcribe(audio.pcm16k(data), seconds, on_text or (lambda fraction, text=None: None))
    CPU["seconds"] = time.process_time() - cpu
    return text, seconds, time.perf_counter() - started


def accuracy(names: list[str], sentences: list[str], notes: dict[tuple[str, int], bytes]) -> None:
    from afterglow.lib.wer import word_errors
    from afterglow.media.voice import engines

    said = " ".join(sentences)
    for name, make in engines_wanted(names).items():
        engine = make()
        started = time.perf_counter()
        engine.transcribe(iter([bytes(RATE * 2)]), 1.0, lambda fraction, text=None: None)  # loads the model
        if name == "moonshine":
            engines.warm()  # Moonshine loads it only at the first piece of talk, which a second of quiet is not
        print(f"\n{name}: model load {time.perf_counter() - started:.1f} s ({load()})")
        errors = words = 0
        audio_s = work_s = cpu_s = 0.0
        for (voice, speed), data in notes.items():
            text, seconds, spent = recognise(engine, data)
            wrong, total = word_errors(said, text)
            errors, words, audio_s, work_s = errors + wrong, words + total, audio_s + seconds, work_s + spent
            cpu_s += CPU["seconds"]
            print(f"  {voice:13} {speed} wpm  {seconds:5.1f} s  WER {wrong / total:5.1%}  RTF {spent / seconds:.2f}"
                  f"  CPU s per s {CPU['seconds'] / seconds:.2f}  ({load()})")  # fmt: skip
        verdict = "met" if errors / words <= TARGETS["wer"] and work_s / audio_s <= TARGETS["rtf"] else "not met"
        overall = f"WER {errors / words:.1%}, RTF {work_s / audio_s:.2f}, CPU seconds per second {cpu_s / audio_s:.2f}"
        print(f"  all: {words} words, {overall} (targets WER ≤ 10 %, RTF ≤ 0.5: {verdict})")


def first_words(note60: bytes) -> None:
    """Stop → first words: the upload's check, the job's start, the first piece recognised."""
    from afterglow.media.voice import audio, engines

    for cold in (True, False):
        if cold:
            engines.moonshine_model.cache_clear()
        seen: list[float] = []
        stopped = time.perf_counter()

        def on_text(fraction: float, text: str | None = None, seen: list[float] = seen, stopped: float = stopped) -> None:
            if text and not seen:
                seen.append(time.perf_counter() - stopped)

        with PeakRss() as memory:
            audio.check(note60)  # what the upload does before the note is stored and queued
            engine = engines.engine()
            text, seconds, spent = recognise(engine, note60, on_text)
        when = "first job after start (model loaded now)" if cold else "model already loaded by the worker"
        print(f"  {when}: first words {seen[0]:.1f} s after Stop; all {len(text.split())} words of {seconds:.0f} s "
              f"in {spent:.1f} s (RTF {spent / seconds:.2f}); peak RSS {memory.peak:.0f} MB ({load()})")  # fmt: skip
    print("  (+ up to 1 s until the worker's next look at the queue; target: first words ≤ 5 s)")


class Timed:
    """An ONNX Runtime session whose run() adds its wall-clock time and calls to a tally."""

    def __init__(self, session: Any, tally: dict[str, float], key: str) -> None:
        self.session, self.tally, self.key = session, tally, key

    def run(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.session.run(*args, **kwargs)
        finally:
            self.tally[self.key] += time.perf_counter() - started
            self.tally[self.key + " calls"] += 1


def stages(data: bytes) -> None:
    """Where a job's time goes, stage by stage: decoding and resampling, cutting at pauses (the voice detector),
    the encoder, the decoder's runs, and the Python around them (the greedy loop, the token table)."""
    from collections import defaultdict

    from afterglow.media.voice import audio, engines, segments

    model = engines.moonshine_model()
    tally: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    pcm = list(audio.pcm16k(data))
    tally["decode + resample"] = time.perf_counter() - started
    started = time.perf_counter()
    cut = list(segments.pieces(iter(pcm)))
    tally["cut at pauses"] = time.perf_counter() - started
    encoder, decoder = model.encoder, model.decoder
    model.encoder, model.decoder = Timed(encoder, tally, "encoder"), Timed(decoder, tally, "decoder")
    try:
        started = time.perf_counter()
        for piece in cut:
            model.transcribe(piece.samples)
        recognition = time.perf_counter() - started
    finally:
        model.encoder, model.decoder = encoder, decoder
    tally["python around the model"] = recognition - tally["encoder"] - tally["decoder"]
    seconds = sum(len(b) for b in pcm) / 2 / RATE
    total = tally["decode + resample"] + tally["cut at pauses"] + recognition
    for key in ("decode + resample", "cut at pauses", "encoder", "decoder", "python around the model"):
        calls = f" ({tally[key + ' calls']:.0f} runs)" if tally[key + " calls"] else ""
        print(f"  {key:24} {tally[key]:6.2f} s  {tally[key] / total:5.1%}{calls}")
    print(f"  {len(cut)} pieces, {seconds:.0f} s of audio: RTF {total / seconds:.2f} ({load()})")


def long_memory(samples: np.ndarray, minutes: float) -> None:
    """Decode and cut a long WAV as a job does; recognition then holds one piece (≤ 15 s) at a time."""
    from afterglow.media.voice import audio, segments

    repeat = int(minutes * 60 * RATE / len(samples)) + 1
    data = wav(np.tile(samples, repeat)[: int(minutes * 60 * RATE)])
    before = rss_mb()
    with PeakRss() as memory:
        started = time.perf_counter()
        count = longest = 0
        for piece in segments.pieces(audio.pcm16k(data)):
            count, longest = count + 1, max(longest, len(piece.samples))
        spent = time.perf_counter() - started
    print(f"  {minutes:.0f} min WAV ({len(data) / 1e6:.0f} MB held, as the job holds the upload): "
          f"cut into {count} pieces (longest {longest / RATE:.1f} s) in {spent:.1f} s; "
          f"RSS {before:.0f} → peak {memory.peak:.0f} MB ({load()})")  # fmt: skip


def languages(sentences: list[str]) -> None:
    """Moonshine's confidence per piece (mean log-probability of its tokens), cut as a job cuts, on English
    (2 voices x 2 speeds) and on four other languages (2 speeds); then what the person would be told."""
    from afterglow.media.voice import engines, jobs, segments

    model = engines.moonshine_model()
    said = {("en", voice, speed): sentences for voice in VOICES for speed in SPEEDS}
    said |= {(lang, lang, speed): lines for lang, lines in OTHER_LANGUAGES.items() for speed in SPEEDS}
    by_language: dict[str, list[float]] = {}
    for (lang, voice, speed), lines in said.items():
        samples = note_of(lines, voice, speed)
        found: list[str] = []
        for piece in segments.pieces([samples.tobytes()]):
            heard = model.hear(piece.samples)
            unsure = heard.unsure(piece.end - piece.start)
            if heard.text:  # an empty piece has no words to be sure of (its count is in the verdict below)
                by_language.setdefault(lang, []).append(heard.confidence)
            mark = "empty" if not heard.text else "loop" if heard.ran_out else f"{heard.confidence:+.2f}"
            found.append(mark + ("*" if unsure else ""))
        engine = engines.Moonshine()
        text = engine.transcribe(iter([samples.tobytes()]), len(samples) / RATE, lambda fraction, text=None: None)
        remark = jobs.remark_for(text, engine.doubts)
        told = {"": "no remark", jobs.NOT_ENGLISH: "NOT ENGLISH", jobs.NO_SPEECH: "NO SPEECH", jobs.NO_WORDS: "NO WORDS"}
        verdict = told.get(remark, "PARTLY: " + remark[:60])
        print(f"  {lang} {voice:13} {speed}: {len(samples) / RATE:4.0f} s, pieces {' '.join(found)} -> {verdict}"
              f" (left out {engine.doubts.unsure:.0f} of {engine.doubts.heard:.0f} s)", flush=True)  # fmt: skip
    print(f"  (* = left out: below {engines.MOONSHINE_LEAST_CONFIDENCE}, a loop, or empty after speech; {load()})")
    for lang, values in by_language.items():
        print(f"  {lang}: pieces with words, mean log-probability {min(values):+.2f} .. {max(values):+.2f}")


def music_hour(minutes: float) -> None:
    """`minutes` of music with no voice (chords, harmonics, a beat) as a WAV held in memory, transcribed as a
    job does it by the default engine: wall time, peak memory, and the words the person would be shown."""
    from afterglow.media.voice import audio, engines, jobs
    from tests.media.speech import music

    parts, rest, k = [], minutes * 60, 0
    while rest > 0:
        chunk = music(min(20.0, rest), seed=k % 7, plucked=k % 2 == 1)
        parts.append((chunk * 32767).astype(np.int16))
        rest, k = rest - 20, k + 1
    data = wav(np.concatenate(parts))
    del parts
    before = rss_mb()
    with PeakRss() as memory:
        started = time.perf_counter()
        engine = engines.engine()
        seconds = audio.check(data).seconds
        text = engine.transcribe(audio.pcm16k(data), seconds, lambda fraction, text=None: None)
        spent = time.perf_counter() - started
    doubts = getattr(engine, "doubts", None)
    print(f"  {minutes:.0f} min of music, WAV {len(data) / 1e6:.0f} MB: check + transcribe {spent:.0f} s; "
          f"RSS {before:.0f} -> peak {memory.peak:.0f} MB; words {len(text.split())}; "
          f"{doubts}; told: {jobs.remark_for(text, doubts)!r} ({load()})")  # fmt: skip


def locked_memory(note60: bytes, repeat: int = 2) -> None:
    """What the worker holds while the journal is open (the model loaded and warmed) and after it locks
    (engines.release), and the time from an unlock to the first words of a 60 s note: the model loaded and
    warmed again, then the note recognised until its first piece's words."""
    from afterglow.media.voice import engines

    print(f"  before any model: RSS {rss_mb():.0f} MB ({load()})")
    for round_ in range(repeat):
        started = time.perf_counter()
        engines.warm()
        warmed = time.perf_counter() - started
        seen: list[float] = []

        def on_text(fraction: float, text: str | None = None, seen: list[float] = seen, started: float = started) -> None:
            if text and not seen:
                seen.append(time.perf_counter() - started)

        with PeakRss() as memory:
            recognise(engines.engine(), note60, on_text)
        open_rss = rss_mb()
        engines.release()
        print(f"  unlock {round_ + 1}: model loaded and warmed in {warmed:.1f} s, first words {seen[0]:.1f} s "
              f"after the unlock; open: RSS {open_rss:.0f} MB (peak {memory.peak:.0f}); "
              f"locked: RSS {rss_mb():.0f} MB ({load()})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", default="moonshine,pocketsphinx,whisper")
    parser.add_argument("--long-minutes", type=float, default=60.0)
    parser.add_argument("--sentences", type=int, default=len(SENTENCES), help="fewer, for a quick look")
    parser.add_argument("--stages", action="store_true", help="only where the time goes, stage by stage, on one note")
    parser.add_argument("--locked", action="store_true", help="only the model's memory while open and locked")
    parser.add_argument("--languages", action="store_true", help="only Moonshine's confidence, English and 4 others")
    parser.add_argument("--music-minutes", type=float, default=0.0, help="only: this many minutes of music through a job")
    args = parser.parse_args()
    sentences = SENTENCES[: args.sentences]
    if args.locked:
        import django

        django.setup()
        first = note_of(sentences, VOICES[0], SPEEDS[0])
        print("worker memory, journal open and locked; first words after an unlock:")
        locked_memory(webm(np.tile(first, 60 * RATE // len(first) + 1)[: 60 * RATE]))
        return
    if args.languages or args.music_minutes:
        import django

        django.setup()
        if args.languages:
            print(f"Moonshine's confidence per piece ({load()}):")
            languages(sentences)
        if args.music_minutes:
            music_hour(args.music_minutes)
        return
    if args.stages:
        import django

        django.setup()
        samples = note_of(sentences, VOICES[0], SPEEDS[0])
        print(f"stages of one {len(samples) / RATE:.0f} s note (WebM/Opus), Moonshine, model loaded ({load()}):")
        stages(webm(samples))
        return

    import django

    django.setup()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {load()}")
    notes = {(voice, speed): note_of(sentences, voice, speed) for voice in VOICES for speed in SPEEDS}
    shortest, longest = (f(len(n) for n in notes.values()) / RATE for f in (min, max))
    print(
        f"{len(sentences)} sentences, {len(notes)} notes of {shortest:.0f}-{longest:.0f} s "
        f"(voices {', '.join(VOICES)}; {SPEEDS} words a minute)"
    )
    accuracy(args.engines.split(","), sentences, {key: wav(samples) for key, samples in notes.items()})

    first = notes[(VOICES[0], SPEEDS[0])]
    note60 = webm(np.tile(first, 60 * RATE // len(first) + 1)[: 60 * RATE])
    print(f"\n60 s note, WebM/Opus {len(note60) / 1e3:.0f} kB, default engine:")
    first_words(note60)
    print("\nlong recording:")
    long_memory(first, args.long_minutes)


if __name__ == "__main__":
    main()
