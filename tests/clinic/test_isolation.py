"""The isolation matrix: every URL of the clinic, every method, as five people, against patient A's objects.

Generated from the URL configuration, so a new view is covered without anyone remembering to add
it. Patient A's journal holds a canary word in every kind of writing; no response to anyone but
A may hold a byte of it, nobody but A may change A's journal, and A's objects are a 404 (or 405
for a method the view does not take) to patient B. Anonymous visitors are sent to sign in;
clinicians and admins open no journal page (403); a clinician whose consent was withdrawn sees nothing of A.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from afterglow.clinic.models import Role
from afterglow.journal.models import CheckInDraft, Entry, EntryRevision, IntegrationAction
from afterglow.measures.models import MeasureResponse
from afterglow.media.voice.models import VoiceNote
from afterglow.prompts.models import OwnPrompt
from afterglow.trash import bin as trash
from tests.clinic.people import browser, member, post, signed_in
from tests.search.sources import CANARIES, plant

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

CANARY = "Xyloquorn"  # in every text of A's journal; found nowhere else
SECOND = "Ombrelune"  # beside it in A's entry: a search page may repeat the query typed, never this
# Pages anyone may open, signed in or not (they hold nothing of anyone's journal).
OPEN = re.compile(r"^/(healthz|help(/.*)?|login|login/verify|invite/.*|static/.*)$")
CLINIC_PAGES = re.compile(r"^/(clinic/.*|account/.*|logout)$")
# Local mode's vault and phone pages have no place in a clinic: they are a 404 for everyone.
VAULT = re.compile(
    r"^/(setup.*|recovery-key.*|unlock|recover|start/.*|lock.*|privacy.*|settings/phones.*|pair.*|manifest\.webmanifest|sw\.js|offline|outbox.*)$"
)


def routes() -> Iterator[tuple[str, str]]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.name or ""

    yield from walk(get_resolver().url_patterns, "")


def world() -> dict[str, Any]:
    """Patients A and B, a clinician and an admin; A's journal with a canary in every kind of object."""
    a, b = member("patient-a", Role.PATIENT), member("patient-b", Role.PATIENT)
    made = plant(a)
    Entry.objects.create(owner=b, text="B's own words")  # B has a journal too, with nothing of A's
    s = made["session"]
    entry = made["entry"]
    Entry.objects.filter(pk=entry.pk).update(text=f"{entry.text} {CANARY} {SECOND}", title=f"Title {CANARY}")
    EntryRevision.objects.create(entry=entry, text=f"an earlier {CANARY}")
    voice_entry = Entry.objects.create(owner=a, mode=Entry.Mode.VOICE, text=f"spoken {CANARY}")
    voice = VoiceNote.objects.create(
        owner=a, entry=voice_entry, audio=b"OggS" + CANARY.encode(), content_type="audio/ogg", size=20, seconds=1.0, status="done"
    )
    action = IntegrationAction.objects.create(owner=a, entry=entry, session=s, what=f"walk with {CANARY}")
    response = MeasureResponse.objects.create(owner=a, instrument="phq9", answers={"1": 2})
    prompt = OwnPrompt.objects.create(owner=a, stage=OwnPrompt.Stage.RECALL, text=f"Ask about {CANARY}")
    CheckInDraft.objects.create(owner=a, values={"note": f"drafted {CANARY}"})
    gone = Entry.objects.create(owner=a, text=f"binned {CANARY}")
    item = trash.put(gone)
    for kind in ("capture", "intention", "checkin"):
        obj = made[kind]
        field = {"capture": "first_impression", "intention": "text", "checkin": "note"}[kind]
        type(obj).objects.filter(pk=obj.pk).update(**{field: f"{getattr(obj, field)} {CANARY}"})
    a_ids = {
        "pk@sessions": s.pk,
        "pk@checkin": made["checkin"].pk,
        "pk@courses": s.course_id,
        "pk@delete": entry.pk,
        "session_id": s.pk,
        "entry_id": entry.pk,
        "note_id": voice.pk,
        "picture_id": made["photo"].pk,
        "action_id": action.pk,
        "response_id": response.pk,
        "prompt_id": prompt.pk,
        "item_id": item.pk,
        "version_id": entry.revisions.first().pk,
        "capture_id": made["capture"].pk,
        "patient_id": a.pk,
    }
    day = made["checkin"].day  # months and days are written with two digits
    return {
        "a": a,
        "b": b,
        "ids": a_ids,
        "values": {"year": day.year, "month": f"{day.month:02d}", "day": f"{day.day:02d}", "number": 1, "instrument_id": "phq9",
                   "kind": "entry", "answer": "first_impression", "secret": "not-a-secret", "token": "not-a-token",
                   "device_id": "not-a-device", "clinician_id": 987654, "category": "checkins"},
        "canaries": [CANARY, *(CANARIES[k] for k in ("entry", "capture", "intention", "checkin", "photo"))],
    }  # fmt: skip


def concrete(route: str, w: dict[str, Any]) -> tuple[str, bool]:
    """The route with A's ids (and plain values) filled in; True when it names one of A's objects."""
    names_object = False

    def fill(m: re.Match[str]) -> str:
        nonlocal names_object
        name = m.group(2)
        first = route.split("/", 1)[0]
        key = f"{name}@{first}" if name == "pk" else name
        if key in w["ids"]:
            names_object = True
            return str(w["ids"][key])
        return str(w["values"][name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route), names_object


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def fingerprint(owner: Any) -> str:
    """Everything of A's journal that a request could change, as one hash."""
    from django.apps import apps

    parts = []
    for model in apps.get_models():
        if any(f.name == "owner" for f in model._meta.fields):
            rows = model.objects.filter(owner=owner).order_by("pk").values()
            parts.append(repr([{k: v for k, v in r.items() if k not in ("updated_at", "search_tsv")} for r in rows]))
    parts.append(repr(list(EntryRevision.objects.filter(entry__owner=owner).order_by("pk").values("pk", "text"))))
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def cross_links() -> list[str]:
    """Rows that point at another person's row (an entry of B's in A's session, say): none may exist."""
    from django.apps import apps
    from django.db.models import F

    found = []
    for model in apps.get_models():
        if not any(f.name == "owner" for f in model._meta.fields):
            continue
        for field in model._meta.fields:
            target = field.related_model
            if field.many_to_one and field.name != "owner" and target and any(f.name == "owner" for f in target._meta.fields):
                crossed = model.objects.exclude(**{f"{field.name}__isnull": True}).exclude(**{f"{field.name}__owner": F("owner")})
                found += [f"{model.__name__} {pk} -> {field.name}" for pk in crossed.values_list("pk", flat=True)]
    return found


def form_fields(w: dict[str, Any]) -> dict[str, Any]:
    """What a form or JSON endpoint might take, every id being one of A's."""
    ids = w["ids"]
    return {
        "text": "x", "note": "x", "what": "x", "caption": "x", "mood": "5", "date": "2026-01-01",
        "session": ids["session_id"], "session_id": ids["session_id"], "entry": ids["entry_id"], "entry_id": ids["entry_id"],
        "course": ids["pk@courses"], "into": ids["pk@courses"], "to": ids["pk@courses"], "prompt_id": ids["prompt_id"],
        "capture": ids["capture_id"], "picture": ids["picture_id"], "action": ids["action_id"], "note_id": ids["note_id"],
        "entries": str(ids["entry_id"]), "sessions": str(ids["session_id"]), "id": ids["entry_id"],
    }  # fmt: skip


def expected(actor: str, url: str, names_object: bool, status: int) -> str:
    """'' when `status` is right for this actor and URL, else what was wrong."""
    if status >= 500:
        return "a server error"
    if VAULT.match(url):
        return "" if status == 404 else "a vault page answered in a clinic"
    if OPEN.match(url) or url == "/":
        return ""
    if actor == "anonymous":
        return "" if status in (302, 401) else "not sent to sign in"
    if CLINIC_PAGES.match(url):
        return ""
    if actor in ("clinician", "clinician, consent withdrawn", "admin"):
        return "" if status == 403 else "a journal page opened for staff"
    if actor == "patient B" and names_object:
        return "" if status in (404, 405) else "A's object did not 404 for B"
    return ""


def withdrawn_clinician() -> Any:
    """A clinician A shared everything with, then nothing: as if never shared."""
    from afterglow.care.models import Category
    from afterglow.care.sharing import set_consent

    dr = member("dr-w", Role.CLINICIAN)
    a = type(dr).objects.get(username="patient-a")
    set_consent(a, dr, list(Category.values), list(a.entries.values_list("pk", flat=True)))
    set_consent(a, dr, [], [])
    return signed_in(dr)


@pytest.mark.parametrize("actor", ["anonymous", "patient B", "clinician", "clinician, consent withdrawn", "admin"])
def test_nobody_but_a_reads_or_changes_as_journal(actor):
    w = world()
    client = {
        "anonymous": browser,
        "patient B": lambda: signed_in(w["b"]),
        "clinician": lambda: signed_in(member("dr-c", Role.CLINICIAN)),
        "clinician, consent withdrawn": withdrawn_clinician,
        "admin": lambda: signed_in(member("admin-d", Role.ADMIN)),
    }[actor]()
    before = fingerprint(w["a"])
    wrong: list[str] = []
    for route, _name in sorted(set(routes())):
        url, names_object = concrete(route, w)
        if url == "/logout":
            continue  # would end this actor's session for the rest of the matrix
        for method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else post(client, url, form_fields(w))
            problem = expected(actor, url, names_object, response.status_code)
            content = body(response)
            leaked = [c for c in w["canaries"] if c.encode() in content or c.lower().encode() in content.lower()]
            if leaked:
                problem = f"leaked {leaked}"
            if problem:
                wrong.append(f"{method} {url} -> {response.status_code}: {problem}")
    for url in (f"/search?q={CANARY}", f"/search?q={CANARY}&in=header", "/export?format=json", "/checkin", "/moments", "/tags"):
        content = body(client.get(url))
        if SECOND.encode() in content or (CANARY.encode() in content and "search" not in url):
            wrong.append(f"GET {url}: leaked A's words")
    assert fingerprint(w["a"]) == before, "A's journal changed"
    assert not cross_links(), cross_links()
    assert not wrong, "\n".join(wrong)


def test_a_reads_her_own_journal_everywhere():
    w = world()
    client = signed_in(w["a"])
    for url in (f"/entries/{w['ids']['entry_id']}", f"/search?q={CANARY}", "/timeline", f"/sessions/{w['ids']['session_id']}"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert CANARY.encode() in client.get(f"/search?q={CANARY}").content
    assert client.get(f"/voice/{w['ids']['note_id']}/audio").status_code == 200


def test_the_matrix_covers_every_route():
    w = world()
    urls = [concrete(route, w) for route, _ in routes()]
    assert len(urls) > 80
    assert sum(names_object for _, names_object in urls) > 30
    assert not [u for u, _ in urls if "<" in u]


def test_an_old_session_expiry_does_not_open_anything(settings):
    w = world()
    client = signed_in(w["b"])
    from django.contrib.sessions.models import Session

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/entries/{w['ids']['entry_id']}").status_code == 302


def test_the_cross_link_check_sees_a_row_pointing_into_anothers_journal():
    w = world()
    assert cross_links() == []
    Entry.objects.create(owner=w["b"], session_id=w["ids"]["session_id"], text="slipped in")
    assert [link for link in cross_links() if link.startswith("Entry ")]


def test_a_opens_every_page_of_her_journal_on_postgresql_without_a_server_error():
    w = world()
    client = signed_in(w["a"])
    broken = []
    for route, _name in sorted(set(routes())):
        url, _ = concrete(route, w)
        if url == "/logout":
            continue
        status = client.get(url).status_code
        if status >= 500:
            broken.append(f"GET {url} -> {status}")
    assert not broken, "\n".join(broken)
