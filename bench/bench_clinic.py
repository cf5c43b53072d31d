"""Load on a clinic of 1,000 patients: PostgreSQL, gunicorn with the repo's config, 50 paced clients.

One command (a first run builds the clinic, 2.5 minutes at load 7–9 on 2 cores; later runs reuse it, and a
whole run then takes about 7 minutes):

    .venv/bin/python bench/bench_clinic.py [--workers 3] [--capacity 1,2,3,4] [--clients 50] [--seconds 60]
        [--capacity-seconds 20] [--capacity-clients 16] [--alone-seconds 15] [--rebuild]

What it does:
1. A PostgreSQL cluster of its own (afterglow/clinic/devcluster.py: socket only, no TCP port) kept in
   bench/out/clinic-1000/, so a rerun skips the build (`--rebuild` makes it anew). Every run migrates it.
2. The clinic, built with bulk_create in big batches: 50 clinicians (each with a confirmed authenticator)
   and 1,000 patients, each with a course of 6 sessions (the last one ahead), an intention and a capture per
   session held (some with a warning sign), 200 entries, 90 check-ins, a PHQ-9 and a GAD-7 every two weeks
   (some with question 9 above 0, some worsening), and consent to one or two clinicians in varied categories.
3. Real sessions, made directly in the session table as the sign-in page makes them (the password's hash;
   for clinicians the second factor's device, as django_otp's `login` records it; for patients the key to
   their private entries, half in the session and half in a cookie, with the recovery key confirmed).
4. gunicorn with deploy/gunicorn.conf.py and `--workers N`, behind no proxy: the clients send the
   X-Forwarded-Proto header the clinic's TLS proxy would set.
5. Alone: one clinician and one patient with no pause for `--alone-seconds`: each page's own time, with
   no queue in front of it (what the paced run would show on a machine with cores to spare).
   Paced: `--clients` clients (threads, one keep-alive connection each), each about one request a second
   (a pause of 0.5–1.5 s after each answer), for `--seconds`: 10 clinicians (dashboard, a consented
   patient's page) and 40 patients (home, timeline, one of their entries, search). p50/p95/p99 per page.
6. Closed loop: `--capacity-clients` clients (a fifth of them clinicians) with no pause, for each worker count in `--capacity`:
   requests per second (pages answered 200 per second of wall time).

The load average (`os.getloadavg`) is printed beside every figure. Results also go to
bench/out/results-clinic.json. Nothing leaves this computer: the clients talk to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
CLUSTER = OUT / "clinic-1000"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
SITE = "clinic.bench"
sys.path.insert(0, str(ROOT))

PATIENTS, CLINICIANS = 1000, 50
SESSIONS, ENTRIES, CHECKINS = 6, 200, 90
BUILD_VERSION = "1"  # bump when the clinic below changes, so a cached one is rebuilt
PASSWORD = "a bench password nobody types"
WORDS = (
    "river",
    "morning",
    "quiet",
    "heavy",
    "light",
    "walk",
    "sleep",
    "mother",
    "father",
    "garden",
    "window",
    "tea",
    "music",
    "rain",
    "body",
    "chest",
    "breath",
    "warm",
    "cold",
    "colour",
    "memory",
    "kitchen",
    "forest",
    "sea",
    "tired",
    "calm",
    "anxious",
    "hopeful",
    "grief",
    "anger",
    "tender",
    "slow",
    "noticed",
    "felt",
    "remembered",
    "wanted",
    "friend",
    "work",
    "dog",
    "cat",
    "evening",
    "dream",
    "voice",
    "hands",
    "shoulders",
    "heart",
    "letter",
    "song",
)
SEARCHES = ("river", "sleep", "mother", "garden walk", "music", "breath", "kitchen memory")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# The clinic ---------------------------------------------------------------------------------------


def environment(database_url: str, secret: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AFTERGLOW_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        AFTERGLOW_MODE="clinic",
        AFTERGLOW_HOME=str(OUT / "clinic-home"),
        DATABASE_URL=database_url,
        AFTERGLOW_SECRET_KEY=secret,
        AFTERGLOW_ALLOWED_HOSTS=SITE,
        AFTERGLOW_PROXY_SSL_HEADER="X-Forwarded-Proto",
        AFTERGLOW_IDLE_MINUTES="120",
        PYTHONPATH=str(ROOT),
    )
    return env


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build() -> None:
    """The clinic described at the top, in big bulk_create batches (triggers fill the search columns)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from afterglow.care.models import Category, Consent
    from afterglow.clinic.models import Member, Role
    from afterglow.journal.models import Capture, CheckIn, Course, Entry, Intention, Session
    from afterglow.measures.models import MeasureResponse

    rng = random.Random(19)
    now = timezone.now()
    hashed = make_password(PASSWORD)  # one hash for all: a thousand argon2 runs would only slow the build
    started = time.monotonic()
    with transaction.atomic():
        staff = User.objects.bulk_create(
            User(username=f"dr-{n:02d}", first_name=f"Dr {WORDS[n % len(WORDS)].title()}", password=hashed)
            for n in range(CLINICIANS)
        )
        Member.objects.bulk_create(Member(user=u, role=Role.CLINICIAN) for u in staff)
        TOTPDevice.objects.bulk_create(TOTPDevice(user=u, name="phone", confirmed=True) for u in staff)
    print(f"  clinicians made ({time.monotonic() - started:.0f} s, {load()})", flush=True)
    categories = list(Category.values)
    for first in range(0, PATIENTS, 50):
        with transaction.atomic():
            people = User.objects.bulk_create(User(username=f"p-{n:04d}", password=hashed) for n in range(first, first + 50))
            Member.objects.bulk_create(Member(user=u, role=Role.PATIENT) for u in people)
            courses = Course.objects.bulk_create(Course(owner=u, start_date=(now - timedelta(days=90)).date()) for u in people)
            sessions = Session.objects.bulk_create(
                Session(owner=u, course=c, number=k + 1, started_at=now - timedelta(days=85 - 16 * k, hours=rng.randint(0, 5)))
                for u, c in zip(people, courses, strict=True)
                for k in range(SESSIONS)
            )  # the sixth is ahead: the dashboard's "next session"
            Intention.objects.bulk_create(Intention(owner=s.owner, session=s, text=sentence(rng, 8)) for s in sessions)
            held = [s for s in sessions if s.started_at < now]
            Capture.objects.bulk_create(
                Capture(owner=s.owner, session=s, first_impression=sentence(rng, 30),
                        sensations={"nausea": rng.randint(0, 3), "chest_pain": 1 if rng.random() < 0.03 else 0})
                for s in held
            )  # fmt: skip
            by_owner: dict[int, list[Session]] = defaultdict(list)
            for s in held:
                by_owner[s.owner_id].append(s)
            Entry.objects.bulk_create(
                (
                    Entry(owner=u, session=rng.choice(by_owner[u.pk]) if rng.random() < 0.2 else None, title=sentence(rng, 4),
                          text=" ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(2, 6))),
                          created_at=(at := now - timedelta(minutes=rng.randint(10, 90 * 24 * 60))), updated_at=at)
                    for u in people
                    for _ in range(ENTRIES)
                ),
                batch_size=5000,
            )  # fmt: skip
            # Check-ins: one a day for 90 days, the last few missing for some (the dashboard's "missed").
            CheckIn.objects.bulk_create(
                (
                    CheckIn(owner=u, at=(at := now - timedelta(days=d + (4 if u.pk % 9 == 0 else 0), hours=rng.randint(1, 8))),
                            day=timezone.localdate(at), mood=rng.randint(2, 9), anxiety=rng.randint(0, 8),
                            energy=rng.randint(2, 9),
                            note=sentence(rng, 6) if rng.random() < 0.3 else "")
                    for u in people
                    for d in range(CHECKINS)
                ),
                batch_size=5000,
            )  # fmt: skip
            measures = []
            for u, c in zip(people, courses, strict=True):
                worse = rng.random() < 0.1
                for k, days_ago in enumerate(range(84, -1, -14)):
                    at = now - timedelta(days=days_ago, hours=2)
                    level = min(3, 1 + (k // 3 if worse else 0))
                    item9 = 1 if k == 6 and rng.random() < 0.05 else 0
                    phq = {str(n): rng.randint(0, level) for n in range(1, 9)} | {"9": item9}
                    gad = {str(n): rng.randint(0, level) for n in range(1, 8)}
                    for instrument, answers in (("phq9", phq), ("gad7", gad)):
                        measures.append(MeasureResponse(owner=u, instrument=instrument, answers=answers, course=c,
                                                        started_at=at, finished_at=at))  # fmt: skip
            MeasureResponse.objects.bulk_create(measures, batch_size=5000)
            for u in people:  # consent to one or two clinicians, in varied categories
                n = int(u.username[2:])
                for dr in {staff[n % CLINICIANS], staff[(n * 7 + 3) % CLINICIANS]} if n % 3 == 0 else {staff[n % CLINICIANS]}:
                    chosen = categories if rng.random() < 0.6 else rng.sample(categories, rng.randint(1, 4))
                    consent = Consent.objects.create(patient=u, clinician=dr, categories=chosen)
                    if Category.ENTRIES in chosen:
                        picked = Entry.objects.filter(owner=u, private=False).values_list("pk", flat=True)[:3]
                        consent.entries.set(list(picked))
        done = first + 50
        print(f"  {done} patients ({time.monotonic() - started:.0f} s, {load()})", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


@dataclass
class Person:
    kind: str  # "clinician" or "patient"
    cookie: str
    targets: list[int] = field(default_factory=list)  # consented patients' ids, or the patient's own entry ids


def private_key(patient: Any, session: Any) -> str:
    """The patient's key for private entries, as the sign-in page leaves it: half sealed in the session, half
    in the browser's cookie (afterglow/clinic/private_keys.py), with the recovery key already confirmed.
    The key ring is made on first use (one Argon2id run per patient, as a first sign-in does)."""
    from django.http import HttpRequest
    from django.utils import timezone

    from afterglow.clinic import private_keys
    from afterglow.journal import keyring as rings

    ring = private_keys.keyring_of(patient)
    secret = rings.unlock_with_password(ring, PASSWORD) if ring is not None else None
    if secret is None:
        secret, _ = rings.create_keyring(patient, PASSWORD)
        ring = private_keys.keyring_of(patient)
    if ring is not None and ring.recovery_confirmed_at is None:
        ring.recovery_confirmed_at = timezone.now()
        ring.save(update_fields=["recovery_confirmed_at"])
    request = HttpRequest()
    request.user, request.session = patient, session
    private_keys.keep(request, secret)
    cookie_key = bytes(request.__dict__[private_keys._NEW_COOKIE])
    return f"{private_keys.COOKIE}={base64.urlsafe_b64encode(cookie_key).decode()}"


def people(clinicians: int, patients: int, cookie_name: str) -> list[Person]:
    """Signed-in sessions made directly, as `login` and django_otp's `login` would record them."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from afterglow.care.models import Consent
    from afterglow.clinic import backend
    from afterglow.journal.models import Entry

    store = import_module(settings.SESSION_ENGINE).SessionStore

    def session_for(user: Any, device: Any = None) -> str:
        s = store()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = backend.PATH  # as the sign-in page names it: the person read in one query
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if device is not None:
            s[DEVICE_ID_SESSION_KEY] = device.persistent_id
        cookies = [private_key(user, s)] if device is None else []
        s.create()
        return "; ".join([f"{cookie_name}={s.session_key}", *cookies])

    found = []
    for dr in User.objects.filter(member__role="clinician").order_by("pk")[:clinicians]:
        ids = list(Consent.objects.filter(clinician=dr).exclude(categories=[]).values_list("patient_id", flat=True))
        found.append(Person("clinician", session_for(dr, TOTPDevice.objects.get(user=dr)), ids))
    for p in User.objects.filter(member__role="patient").order_by("?")[:patients]:
        ids = list(Entry.objects.filter(owner=p).order_by("?").values_list("pk", flat=True)[:50])
        found.append(Person("patient", session_for(p), ids))
    return found


# The load -----------------------------------------------------------------------------------------


def request_for(person: Person, rng: random.Random) -> tuple[str, str]:
    """(page kind, path) for this person's next click."""
    if person.kind == "clinician":
        if rng.random() < 0.5 or not person.targets:
            return "dashboard", "/clinic/patients"
        return "clinician: patient page", f"/clinic/patients/{rng.choice(person.targets)}"
    roll = rng.random()
    if roll < 0.3:
        return "patient: home", "/"
    if roll < 0.6:
        return "patient: timeline", "/timeline"
    if roll < 0.85:
        return "patient: an entry", f"/entries/{rng.choice(person.targets)}"
    return "patient: search", "/search?q=" + rng.choice(SEARCHES).replace(" ", "+")


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)
    cpu: dict[str, float] = field(default_factory=dict)  # processor ms per page: gunicorn, PostgreSQL, the clients

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            if ok:
                self.times[kind].append(seconds)
            else:
                self.errors[kind] += 1


def client(port: int, person: Person, until: float, pause: tuple[float, float], results: Results, seed: int) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Host": SITE, "X-Forwarded-Proto": "https", "Cookie": person.cookie}
    time.sleep(rng.uniform(0, pause[1]))  # the clients do not all start in step
    while time.monotonic() < until:
        kind, path = request_for(person, rng)
        begun = time.monotonic()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
        results.add(kind, time.monotonic() - begun, ok)
        if pause[1]:
            time.sleep(rng.uniform(*pause))
    connection.close()


def drive(port: int, crowd: list[Person], seconds: float, pause: tuple[float, float], server: int = 0) -> tuple[Results, float]:
    """Run the clients; with `server` (gunicorn's pid), also where the processor time went."""
    results = Results()
    cpu = (cpu_of(server), cpu_of(postmaster_pid()), time.process_time()) if server else None
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, p, until, pause, results, n)) for n, p in enumerate(crowd)]
    begun = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if cpu is not None:
        pages = max(1, sum(len(v) for v in results.times.values()))
        web, database, clients = cpu_of(server) - cpu[0], cpu_of(postmaster_pid()) - cpu[1], time.process_time() - cpu[2]
        results.cpu = {"web": web / pages * 1000, "database": database / pages * 1000, "clients": clients / pages * 1000}
    return results, time.monotonic() - begun


def cpu_of(root: int) -> float:
    """Processor seconds used by a process, its live children, and the children it has reaped (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        pid, parent = int(stat.parent.name), int(fields[1])
        if pid == root:
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        elif parent == root:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def postmaster_pid() -> int:
    return int((CLUSTER / "data" / "postmaster.pid").read_text().split()[0])


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


class Server:
    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.log = (OUT / f"clinic-gunicorn-{workers}.log").open("wb")
        command = [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "--workers", str(workers), "--bind", f"{HOST}:{self.port}"]
        self.proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"bench_clinic: gunicorn stopped at start; see {self.log.name}")
            try:
                c = http.client.HTTPConnection(HOST, self.port, timeout=5)
                c.request("GET", "/healthz", headers={"Host": SITE, "X-Forwarded-Proto": "https"})
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("bench_clinic: gunicorn did not answer /healthz within 2 minutes")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def warm(port: int, crowd: list[Person], workers: int) -> None:
    """Each worker's first pages (imports, templates) before anything is timed."""
    drive(port, crowd[:: max(1, len(crowd) // (4 * workers))], 4, (0, 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers for the paced run")
    parser.add_argument("--capacity", default="1,2,3,4", help="worker counts for the closed loop ('' skips it)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--capacity-clients", type=int, default=16)
    parser.add_argument("--alone-seconds", type=float, default=15, help="2 clients, no pause, before the paced run (0 skips)")
    parser.add_argument("--capacity-seconds", type=float, default=20)
    parser.add_argument("--rebuild", action="store_true", help="build the clinic anew")
    args = parser.parse_args()

    from afterglow.clinic.devcluster import ClusterUnavailable, DevCluster, server_bin

    OUT.mkdir(parents=True, exist_ok=True)
    marker = CLUSTER / "clinic-built.json"
    try:
        if (CLUSTER / "data" / "postmaster.pid").exists():  # left running by a run that was killed
            DevCluster(CLUSTER, server_bin() or Path("/usr/bin"), started=True).stop(keep=True)
        built_here = marker.exists() and json.loads(marker.read_text()).get("version") == BUILD_VERSION
        if args.rebuild or not built_here:
            shutil.rmtree(CLUSTER, ignore_errors=True)  # a half-built or older clinic: made anew
        cluster = DevCluster.kept_in(CLUSTER)
        reused = cluster.reused
        cluster.start(create_database=not reused, settings=("shared_buffers=256MB", "max_connections=200"))
    except ClusterUnavailable as e:
        sys.exit(f"bench_clinic: {e}")
    secret = secrets.token_urlsafe(50)
    env = environment(cluster.url(), secret)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "afterglow.settings"
    report: dict[str, Any] = {"when": datetime.now().isoformat(timespec="minutes"), "cpus": os.cpu_count()}
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)  # as a clinic's deploy does; cached in clinic-home
        if not reused:
            print(f"Building the clinic: {PATIENTS} patients, {CLINICIANS} clinicians ({load()})", flush=True)
            begun = time.monotonic()
            build()
            built = time.monotonic() - begun
            marker.write_text(json.dumps({"version": BUILD_VERSION, "seconds": round(built), "load": os.getloadavg()}))
            print(f"Built in {built:.0f} s ({load()})", flush=True)
        print(f"The clinic: {describe()} ({load()})", flush=True)
        crowd = people(10, args.clients - 10, settings.SESSION_COOKIE_NAME)
        from django.db import connections

        connections.close_all()

        server = Server(env, args.workers)
        try:
            warm(server.port, crowd, args.workers)
            if args.alone_seconds:
                # One clinician and one patient, no pause: each page's own time, with no queue in front of it.
                before = load()
                results, wall = drive(server.port, [crowd[0], crowd[10]], args.alone_seconds, (0, 0), server.proc.pid)
                report["alone"] = show(f"Alone: 2 clients, no pause, {args.workers} workers", results, wall, before)
            before = load()
            results, wall = drive(server.port, crowd, args.seconds, (0.5, 1.5), server.proc.pid)
            report["paced"] = show(
                f"Paced: {args.clients} clients, ~1 request/s each, {args.workers} workers", results, wall, before
            )
        finally:
            server.stop()
        report["capacity"] = {}
        # The paced run's mix (a fifth clinicians) in fewer clients, each sending its next request at once.
        doctors = max(1, args.capacity_clients // 5)
        closed = crowd[:doctors] + crowd[10 : 10 + args.capacity_clients - doctors]
        for workers in [int(w) for w in args.capacity.split(",") if w.strip()]:
            server = Server(env, workers)
            try:
                warm(server.port, crowd, workers)
                before = load()
                results, wall = drive(server.port, closed, args.capacity_seconds, (0, 0), server.proc.pid)
                report["capacity"][workers] = show(f"Closed loop: {len(closed)} clients, {workers} workers",
                                                   results, wall, before)  # fmt: skip
            finally:
                server.stop()
    finally:
        from django.db import connections

        connections.close_all()
        cluster.stop(keep=True)
    (OUT / "results-clinic.json").write_text(json.dumps(report, indent=2))


def describe() -> str:
    from django.db import connection

    counts = []
    with connection.cursor() as cursor:
        for table in (
            "auth_user",
            "journal_session",
            "journal_entry",
            "journal_checkin",
            "measures_measureresponse",
            "care_consent",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # table names from the list above, not input
            counts.append(f"{cursor.fetchone()[0]:,} {table.split('_', 1)[1]}")
    return ", ".join(counts)


def show(title: str, results: Results, wall: float, before: str) -> dict[str, Any]:
    total = sum(len(v) for v in results.times.values())
    errors = sum(results.errors.values())
    print(f"\n{title}: {total} pages in {wall:.0f} s = {total / wall:.1f} pages/s, {errors} errors ({before} → {load()})")
    out: dict[str, Any] = {"pages": total, "seconds": round(wall, 1), "per_second": round(total / wall, 1),
                           "errors": dict(results.errors), "load_before": before, "load_after": load(),
                           "pages_by_kind": {}}  # fmt: skip
    for kind in sorted(results.times):
        values = results.times[kind]
        p50, p95, p99 = (pct(values, p) * 1000 for p in (50, 95, 99))
        print(f"  {kind:26} n={len(values):5}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms")
        out["pages_by_kind"][kind] = {"n": len(values), "p50": round(p50, 1), "p95": round(p95, 1), "p99": round(p99, 1)}
    if results.cpu:
        c = results.cpu
        where = f"gunicorn {c['web']:.1f} ms, PostgreSQL {c['database']:.1f} ms, clients {c['clients']:.1f} ms"
        print(f"  processor time per page: {where}")
        out["cpu_ms_per_page"] = {k: round(v, 1) for k, v in c.items()}
    everything = [v for values in results.times.values() for v in values]
    if everything:
        p50, p95, p99 = (pct(everything, p) * 1000 for p in (50, 95, 99))
        print(f"  {'all pages':26} n={len(everything):5}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms")
        out["all"] = {"p50": round(p50, 1), "p95": round(p95, 1), "p99": round(p99, 1)}
    return out


if __name__ == "__main__":
    main()
