"""Generate a realistic Afterglow journal (and the same entries as a jrnl file) for the benchmarks.

    .venv/bin/python bench/generate.py --home bench/out/j100k --entries 100000 --jrnl bench/out/j100k.txt

Courses of sessions (six close together, then boosters), an intention or
three and a quick capture per session, entries that cluster in the
integration window after each session (recall → reflection → action) with
free writing in between, integration actions, and a check-in most days.
Rows go in with `bulk_create` in batches inside transactions, so the FTS
triggers fire once per row exactly as they would for entries written one by
one. With AFTERGLOW_PASSPHRASE set the journal is created encrypted (through
`afterglow init`) and unlocked the way the CLI unlocks it.
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

BATCH = 2000
SENSATIONS = [
    "tingling", "numbness", "relaxation", "nausea", "dizziness", "blurred_vision",
    "poor_coordination", "drowsiness", "racing_heart", "headache",
]  # fmt: skip
SIGNATURE = ["lightness", "hope", "love", "worthiness", "connectedness"]
EMOTIONS = ["calm", "sad", "grateful", "afraid", "peaceful", "tender", "joyful", "lonely", "relieved", "awed"]
INTENTION_PROMPTS = [
    ("intention/hope", "What do I hope to gain?"),
    ("intention/explore", "What do I want to explore?"),
    ("intention/fear", "What am I afraid of?"),
    ("intention/support", "What support do I have?"),
]
STAGE_PROMPTS = {
    "recall": ("three-stage/recall", "What do you remember most clearly?"),
    "reflect": ("three-stage/reflection", "What might it mean for your life now?"),
    "action": ("three-stage/action", "What is one small thing you will do this week?"),
}
ROUTES = ["iv", "iv", "iv", "im", "nasal", "oral"]
DOSES = {"iv": "0.5 mg/kg over 40 min", "im": "1 mg/kg", "nasal": "56 mg", "oral": "300 mg lozenge"}


@dataclass
class Plan:
    entries: int
    start: date
    end: date
    sessions: int
    courses: int

    @classmethod
    def for_size(cls, entries: int, end: date) -> Plan:
        span = max(365, min(3650, entries // 8))
        sessions = min(300, max(24, 24 + int(0.9 * entries**0.5)))
        return cls(entries, end - timedelta(days=span), end, sessions, max(2, sessions // 16))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, type=Path, help="AFTERGLOW_HOME to create (must not hold a journal)")
    parser.add_argument("--entries", required=True, type=int)
    parser.add_argument("--jrnl", type=Path, help="also write the entries as a jrnl plaintext journal here")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--end", type=date.fromisoformat, default=date.today(), help="last day of the journal")
    return parser.parse_args(argv)


# --- opening the journal -------------------------------------------------------------------------


def setup_django(home: Path) -> None:
    os.environ["AFTERGLOW_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")
    import django

    django.setup()


def open_journal(home: Path) -> None:
    """Create the journal the way a person would, then unlock it in this process if it is encrypted."""
    from django.core.management import call_command

    if os.environ.get("AFTERGLOW_PASSPHRASE"):
        # `init` owns creating the encrypted journal and its keys; we only unlock it afterwards.
        subprocess.run([sys.executable, "-m", "afterglow", "init"], check=True, stdout=subprocess.DEVNULL)
        unlock_from_env(home)
    call_command("migrate", verbosity=0, interactive=False)


def unlock_from_env(home: Path) -> None:
    """Put the data key in this process's keyring through the vault's own CLI unlock (AFTERGLOW_PASSPHRASE)."""
    if not (home / "keys.json").exists():
        return  # init made a plain journal (no vault in this build)
    from afterglow.vault import session

    session.unlock_for_cli(migrate=False)


# --- the shape of the journal -----------------------------------------------------------------------


def session_times(plan: Plan, rng: random.Random) -> list[list[datetime]]:
    """Per course: six sessions two or three days apart, then boosters every two to five weeks."""
    span = (plan.end - plan.start).days
    course_len = span // plan.courses
    per_course = plan.sessions // plan.courses
    courses: list[list[datetime]] = []
    for c in range(plan.courses):
        day = plan.start + timedelta(days=c * course_len + rng.randint(0, 10))
        limit = plan.start + timedelta(days=(c + 1) * course_len - 1)
        times: list[datetime] = []
        while len(times) < per_course and day <= min(limit, plan.end):
            times.append(datetime(day.year, day.month, day.day, rng.choice([9, 10, 11, 13, 14, 15]), 0, tzinfo=UTC))
            day += timedelta(days=rng.randint(2, 4) if len(times) < 6 else rng.randint(7, 21))
        courses.append(times)
    return courses


def entry_times(plan: Plan, sessions: list[datetime], rng: random.Random) -> list[datetime]:
    """Writing clusters in the days right after a session; the rest spreads over waking hours."""
    span = (plan.end - plan.start).days
    out: list[datetime] = []
    for _ in range(plan.entries):
        if sessions and rng.random() < 0.35:
            base = rng.choice(sessions) + timedelta(hours=rng.randint(2, 8), days=rng.randint(0, 3))
            moment = base + timedelta(minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
        else:
            day = plan.start + timedelta(days=rng.randint(0, span))
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=rng.randint(7 * 3600, 23 * 3600))
        out.append(min(moment, datetime(plan.end.year, plan.end.month, plan.end.day, 23, 0, tzinfo=UTC)))
    out.sort()
    return out


def words_for(rng: random.Random) -> int:
    # Most entries are a few lines; a few are long letters. Median ~55 words.
    return max(8, min(1500, int(rng.lognormvariate(4.0, 0.8))))


# --- writing rows -------------------------------------------------------------------------------------


def create_courses(owner: Any, plan: Plan, rng: random.Random) -> list[Any]:
    from afterglow.journal.models import Course, Intention, Session

    all_sessions: list[Any] = []
    for index, times in enumerate(session_times(plan, rng)):
        if not times:
            continue
        course = Course.objects.create(
            owner=owner,
            title=f"Course {index + 1}" if rng.random() < 0.5 else "",
            start_date=times[0].date(),
            clinic=rng.choice(["Riverside Clinic", "Northgate Wellness", "", "City Mood Centre"]),
            clinician=rng.choice(["Dr. Adeyemi", "Dr. Novak", "", "Sam (nurse practitioner)"]),
            programme=rng.choice(["six-session", "three-stage", ""]),
        )
        sessions = []
        for number, started in enumerate(times, start=1):
            route = rng.choice(ROUTES)
            sessions.append(
                Session(
                    owner=owner, course=course, number=number, started_at=started, route=route, dose=DOSES[route],
                    setting=rng.choice(["Clinic room 2, eye mask and playlist", "At home with a sitter", "Clinic, dim light"]),
                    notes=corpus.paragraph("intention", rng, 1) if rng.random() < 0.3 else "",
                )
            )  # fmt: skip
        all_sessions.extend(Session.objects.bulk_create(sessions))
    Intention.objects.bulk_create(intentions(owner, all_sessions, rng))
    create_captures(owner, all_sessions, rng)
    return all_sessions


def intentions(owner: Any, sessions: list[Any], rng: random.Random) -> Iterator[Any]:
    from afterglow.journal.models import Intention

    for session in sessions:
        for prompt_id, prompt_text in rng.sample(INTENTION_PROMPTS, rng.randint(1, 3)):
            yield Intention(
                owner=owner, session=session, prompt_id=prompt_id, prompt_text=prompt_text,
                text=corpus.paragraph("intention", rng, rng.randint(1, 3)), fit=rng.choice([None, 1, 2, 2, 3]),
                created_at=session.started_at - timedelta(hours=rng.randint(1, 48)),
            )  # fmt: skip


def create_captures(owner: Any, sessions: list[Any], rng: random.Random) -> None:
    from afterglow.journal.models import Capture

    def phrase(slot: str) -> str:
        return ", ".join(rng.sample(corpus.FILLERS[slot], rng.randint(1, 3)))

    Capture.objects.bulk_create(
        Capture(
            owner=owner, session=s, first_impression=corpus.paragraph("recall", rng, 1),
            saw_colours=phrase("colour"), saw_people=phrase("person"), saw_places=phrase("place"),
            saw_symbols=phrase("symbol"), heard=phrase("sound"), felt=phrase("feeling"),
            sensations={k: rng.randint(0, 3) for k in rng.sample(SENSATIONS, rng.randint(2, 6))},
            dissociation=rng.randint(0, 3), dreamlike=rng.randint(0, 3), slept=rng.random() < 0.2,
            emotions=rng.sample(EMOTIONS, rng.randint(1, 4)),
            signature={k: rng.randint(0, 3) for k in SIGNATURE}, insights=corpus.paragraph("reflect", rng, 2),
            created_at=s.started_at + timedelta(hours=1),
        )
        for s in sessions
    )  # fmt: skip


def build_entry(owner: Any, moment: datetime, sessions: list[Any], starts: list[datetime], rng: random.Random) -> Any:
    from afterglow.journal.models import Entry

    index = bisect.bisect_right(starts, moment) - 1
    day = (moment.date() - starts[index].date()).days if index >= 0 else None
    fields: dict[str, Any] = {}
    if day is not None and day <= 3 and rng.random() < 0.7:
        stage = "recall" if day == 0 else "action" if day == 3 or rng.random() < 0.2 else "reflect"
        kinds: tuple[str, ...] = (stage,)
        prompt_id, prompt_text = STAGE_PROMPTS[stage]
        fields = {"session": sessions[index], "mode": "guided", "prompt_id": prompt_id, "prompt_text": prompt_text}
    else:
        kinds = ("daily", "daily", "reflect")
    return Entry(
        owner=owner,
        uid=uuid.UUID(int=rng.getrandbits(128), version=4),
        title=corpus.title(rng) if rng.random() < 0.3 else "",
        text=corpus.entry_text(kinds, rng, words_for(rng)),
        private=rng.random() < 0.05,
        created_at=moment,
        updated_at=moment + timedelta(minutes=rng.randint(1, 40)),
        **fields,
    )


def create_entries(owner: Any, plan: Plan, sessions: list[Any], rng: random.Random, jrnl: TextIO | None) -> int:
    from django.db import transaction

    from afterglow.journal.models import Entry, EntryRevision, IntegrationAction

    starts = [s.started_at for s in sessions]
    times = entry_times(plan, starts, rng)
    done = 0
    for first in range(0, len(times), BATCH):
        batch = [build_entry(owner, t, sessions, starts, rng) for t in times[first : first + BATCH]]
        with transaction.atomic():
            Entry.objects.bulk_create(batch)
            EntryRevision.objects.bulk_create(revisions(batch, rng))
            IntegrationAction.objects.bulk_create(actions(owner, batch, rng))
        if jrnl is not None:
            write_jrnl(jrnl, batch)
        done += len(batch)
        print(f"\r  entries {done:,}/{plan.entries:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return done


def revisions(entries: list[Any], rng: random.Random) -> Iterator[Any]:
    from afterglow.journal.models import EntryRevision

    for entry in entries:
        # Autosave history: an earlier, shorter draft for some entries, then the final text.
        if rng.random() < 0.15:
            yield EntryRevision(entry=entry, text=entry.text[: len(entry.text) // 2], saved_at=entry.created_at)
        yield EntryRevision(entry=entry, text=entry.text, saved_at=entry.updated_at)


def actions(owner: Any, entries: list[Any], rng: random.Random) -> Iterator[Any]:
    from afterglow.journal.models import IntegrationAction

    for entry in entries:
        if entry.prompt_id == STAGE_PROMPTS["action"][0] and rng.random() < 0.5:
            due = entry.created_at.date() + timedelta(days=7)
            done_at = entry.created_at + timedelta(days=rng.randint(1, 10)) if rng.random() < 0.6 else None
            what = entry.text.split(". ")[0].strip(".")[:300]
            yield IntegrationAction(
                owner=owner, entry=entry, session=entry.session, what=what, due=due, done_at=done_at,
                created_at=entry.created_at,
            )  # fmt: skip


def create_checkins(owner: Any, plan: Plan, sessions: list[Any], rng: random.Random) -> int:
    from afterglow.journal.models import CheckIn

    days = sorted({s.started_at.date() for s in sessions})
    rows = []
    day = plan.start
    while day <= plan.end:
        if rng.random() < 0.85:
            rows.append(checkin(owner, day, days, plan, rng))
        if day in days:  # the hours after a session: a couple more check-ins
            rows += [checkin(owner, day, days, plan, rng, hour) for hour in (14, 17)]
        day += timedelta(days=1)
    CheckIn.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def checkin(owner: Any, day: date, session_days: list[date], plan: Plan, rng: random.Random, hour: int = 20) -> Any:
    from django.utils import timezone

    from afterglow.journal.models import CheckIn

    # Mood drifts up across the years and lifts for a few days after each session.
    progress = (day - plan.start).days / max(1, (plan.end - plan.start).days)
    index = bisect.bisect_right(session_days, day) - 1
    lift = 2 if index >= 0 and (day - session_days[index]).days <= 3 else 0
    mood = max(1, min(10, round(rng.gauss(3.5 + 3 * progress + lift, 1.3))))
    # A local moment, so `day` (kept in step by save(), which bulk_create skips) is its local date.
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, hour))
    pain = rng.randint(0, 6) if rng.random() < 0.3 else None
    return CheckIn(
        owner=owner, day=day, at=moment, pain=pain, mood=mood, anxiety=max(0, min(10, round(rng.gauss(9 - mood, 1.5)))),
        sleep_hours=round(max(0.0, min(12.0, rng.gauss(6.8, 1.2))), 1), energy=max(1, min(10, mood + rng.randint(-2, 2))),
        note=corpus.paragraph("daily", rng, 1) if rng.random() < 0.4 else "", created_at=moment,
    )  # fmt: skip


# --- the jrnl twin ------------------------------------------------------------------------------------


def write_jrnl(out: TextIO, entries: list[Any]) -> None:
    """jrnl's plaintext format: `[YYYY-MM-DD HH:MM] title` then the body, entries separated by a blank line."""
    for entry in entries:
        stamp = entry.created_at.strftime("%Y-%m-%d %H:%M")
        if entry.title:
            head, body = entry.title, entry.text
        else:
            # jrnl takes the first sentence as the title: keep it on the date line.
            first, newline, rest = entry.text.partition("\n")
            head, stop, tail = first.partition(". ")
            head += "." if stop else ""
            body = (tail + newline + rest).strip()
        out.write(f"[{stamp}] {head}\n{body}\n\n" if body else f"[{stamp}] {head}\n\n")


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    home = args.home.resolve()
    if (home / "journal.db").exists():
        sys.exit(f"generate: {home} already holds a journal; pick an empty directory")
    home.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    setup_django(home)
    open_journal(home)
    from afterglow.access import local_patient

    rng = random.Random(args.seed)
    plan = Plan.for_size(args.entries, args.end)
    owner = local_patient()
    sessions = create_courses(owner, plan, rng)
    jrnl = args.jrnl.open("w", encoding="utf-8") if args.jrnl else None
    try:
        entries = create_entries(owner, plan, sessions, rng, jrnl)
    finally:
        if jrnl is not None:
            jrnl.close()
    checkins = create_checkins(owner, plan, sessions, rng)
    elapsed = time.perf_counter() - started
    print(
        f"generated {entries:,} entries, {len(sessions)} sessions in {plan.courses} courses, {checkins:,} check-ins "
        f"({plan.start} to {plan.end}) in {home} in {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
