"""No patient reaches another patient's rows: every URL that names a row by id answers 404 for theirs.

The URL configuration is walked, so a new URL with an id fails here until it has a case below
(the start of the clinic's isolation matrix, issue 18). Each case is sent both as GET and as a
form POST; whichever the view takes must be a 404 (the other may be 405), and the row stays as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.middleware.csrf import _get_new_csrf_string
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from afterglow.journal import actions
from afterglow.journal.models import Capture, CheckIn, Entry
from afterglow.measures.models import MeasureResponse
from afterglow.media.visual.models import Picture
from afterglow.media.voice.models import VoiceNote
from afterglow.prompts.models import OwnPrompt
from afterglow.trash import bin
from tests.conftest import csrf_post
from tests.journal import course_factories as make

# URLs with parts that name no row of a patient's journal.
NOT_ROWS = {
    "calendar_month": "a year and a month",
    "calendar_day": "a date",
    "vault_start": "the one-time secret of the start link",
    "measure_take": "a questionnaire's name (a response goes by its uid: UID_CASES)",
    "measure_answer": "a questionnaire's name (a response goes by its uid: UID_CASES)",
    "measure_chart": "a questionnaire's name",
    "phones_revoke": "a phone paired with this computer (kept in the data folder, local mode only)",
}


class Theirs:
    """Another patient's journal, built as a case asks for it."""

    def __init__(self) -> None:
        self.owner = make.stranger()
        self.course = make.course(self.owner, title="Their course")
        self.session = make.session(self.owner, self.course, make.days_ago(3))

    def entry(self) -> Entry:
        return make.entry(self.owner, "Their own words", session=self.session)

    def checkin(self) -> CheckIn:
        return make.checkin(self.owner, make.days_ago(1), mood=4, note="Their note")

    def capture(self) -> Capture:
        return Capture.objects.create(owner=self.owner, session=self.session, first_impression="Their impression")

    def action(self) -> Any:
        return actions.create_action(self.owner, "Their step")

    def voice(self) -> VoiceNote:
        entry = Entry.objects.create(owner=self.owner, mode=Entry.Mode.VOICE)
        return VoiceNote.objects.create(
            owner=self.owner, entry=entry, audio=b"OggS", content_type="audio/ogg", size=4, seconds=1.0
        )

    def picture(self) -> Picture:
        entry = Entry.objects.create(owner=self.owner, mode=Entry.Mode.DRAWING)
        return Picture.objects.create(
            owner=self.owner, entry=entry, kind=Picture.Kind.DRAWING, content_type="image/png", width=1, height=1,
            image=b"png", thumb=b"png", thumb_width=1, thumb_height=1,
        )  # fmt: skip

    def response(self) -> MeasureResponse:
        return MeasureResponse.objects.create(owner=self.owner, instrument="phq9", answers={"1": 2}, finished_at=timezone.now())

    def prompt(self) -> OwnPrompt:
        return OwnPrompt.objects.create(owner=self.owner, text="Their own question?")


# URL name -> (the row it names, its URL kwargs): one or more cases each.
Case = Callable[[Theirs], tuple[Model, dict[str, Any]]]


def _session(name: str, key: str = "session_id", **extra: Any) -> tuple[str, Case]:
    return name, lambda t: (t.session, {key: t.session.pk, **extra})


def _entry(name: str) -> tuple[str, Case]:
    return name, lambda t: (found := t.entry(), {"entry_id": found.pk})


def _by(name: str, make_row: str, key: str) -> tuple[str, Case]:
    return name, lambda t: (found := getattr(t, make_row)(), {key: found.pk})


def _version(t: Theirs) -> tuple[Model, dict[str, Any]]:
    found = t.entry()
    return found, {"entry_id": found.pk, "version_id": found.revisions.first().pk}


def _trash_item(t: Theirs) -> tuple[Model, dict[str, Any]]:
    item = bin.put(t.entry())
    return item, {"item_id": item.pk}


def _star_answer(t: Theirs) -> tuple[Model, dict[str, Any]]:
    found = t.capture()
    return found, {"capture_id": found.pk, "answer": "first_impression"}


def _capture_tags(t: Theirs) -> tuple[Model, dict[str, Any]]:
    t.capture()
    return t.session, {"session_id": t.session.pk}


def _delete(kind: str, make_row: str) -> tuple[str, Case]:
    def case(t: Theirs) -> tuple[Model, dict[str, Any]]:
        found = getattr(t, make_row)
        found = found() if callable(found) else found  # the session and the course are there from the start
        return found, {"kind": kind, "pk": found.pk}

    return "trash_delete", case


CASES: list[tuple[str, Case]] = [
    _session("session", "pk"), _session("session_edit", "pk"), _session("session_readings", "pk"),
    _session("session_move", "pk"), _session("intention"), _session("revisit"), _session("capture"),
    _session("capture_now"), _session("capture_more"), _session("capture_summary"), _session("capture_step", number=1),
    _session("reflect"), _session("reflect_action"), _session("reflect_autosave"), ("capture_tags", _capture_tags),
    _entry("entry"), _entry("entry_edit"), _entry("entry_versions"), _entry("star_entry"), _entry("entry_tags"),
    ("entry_version_restore", _version), ("star_answer", _star_answer), ("trash_restore", _trash_item),
    _by("checkin_edit", "checkin", "pk"), _by("checkin_delete", "checkin", "pk"),
    _by("action_done", "action", "action_id"), _by("action_undo", "action", "action_id"),
    _by("voice_note", "voice", "note_id"), _by("voice_audio", "voice", "note_id"), _by("voice_status", "voice", "note_id"),
    _by("voice_transcript", "voice", "note_id"), _by("voice_retry", "voice", "note_id"),
    _by("voice_delete", "voice", "note_id"),
    _by("drawing", "picture", "picture_id"), _by("picture", "picture", "picture_id"),
    _by("picture_image", "picture", "picture_id"), _by("picture_thumb", "picture", "picture_id"),
    _by("picture_delete", "picture", "picture_id"),
    _by("measure_result", "response", "response_id"), _by("prompt_delete", "prompt", "prompt_id"),
    ("course_merge", lambda t: (t.course, {"pk": t.course.pk})),
    _delete("entry", "entry"), _delete("checkin", "checkin"), _delete("capture", "capture"),
    _delete("session", "session"), _delete("course", "course"), _delete("picture", "picture"), _delete("voice", "voice"),
]  # fmt: skip


def _named_urls_with_parts(patterns: list[Any] | None = None) -> set[str]:
    found: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            found |= _named_urls_with_parts(entry.url_patterns)
        elif isinstance(entry, URLPattern) and "<" in str(entry.pattern):
            found.add(str(entry.name))
    return found


def test_every_url_with_a_part_that_could_name_a_row_has_an_isolation_case():
    covered = {name for name, _ in CASES} | set(NOT_ROWS)
    assert _named_urls_with_parts() - covered == set(), "add a case to CASES (or NOT_ROWS, saying why) for each new URL"
    assert covered - _named_urls_with_parts() == set(), "a case names a URL that no longer exists"


def _same_row(row: Model) -> dict[str, Any] | None:
    found = type(row)._default_manager.filter(pk=row.pk).values().first()
    return {k: v for k, v in found.items() if k != "updated_at"} if found else None


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{name}-{i}" for i, (name, _) in enumerate(CASES)])
def test_another_patients_row_is_not_found(client, patient, name: str, case: Case):
    theirs = Theirs()
    row, kwargs = case(theirs)
    before = _same_row(row)
    url = reverse(name, kwargs=kwargs)
    answers = {"GET": client.get(url).status_code, "POST": csrf_post(client, url, {"next": "/"}).status_code}
    assert set(answers.values()) <= {404, 405} and 404 in answers.values(), answers
    assert _same_row(row) == before


# Pages that take a row's id from their query string instead of their path. (The report form's lists of
# ids: tests/reports/test_clinician_report.py.)
QUERY_CASES: list[tuple[str, Callable[[Theirs], str]]] = [
    ("timeline", lambda t: f"session={t.session.pk}"),
    ("write", lambda t: f"session={t.session.pk}"),
    ("draw", lambda t: f"session={t.session.pk}"),
    ("draw", lambda t: f"entry={t.entry().pk}"),
    ("photo_new", lambda t: f"session={t.session.pk}"),
    ("search", lambda t: f"q=words&session={t.session.pk}"),
    ("course_review", lambda t: f"course={t.course.pk}"),
    ("compare_sessions", lambda t: f"s={t.session.pk}&s={make.session(t.owner, t.course, make.days_ago(1)).pk}"),
]


@pytest.mark.parametrize(("name", "query"), QUERY_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(QUERY_CASES)])
def test_another_patients_row_named_in_the_query_is_not_found(client, patient, name: str, query: Callable[[Theirs], str]):
    assert client.get(f"{reverse(name)}?{query(Theirs())}").status_code == 404


# Saves that name their row by a uid the page made: another patient's uid is refused, never taken over.
# (Writing and drawing autosaves: tests/journal/test_write_views.py, tests/media/test_drawings.py.)
def _measure(name: str, **extra: str) -> Callable[[Theirs], tuple[Model, str, dict[str, Any]]]:
    return lambda t: (r := t.response(), reverse(name, args=["phq9"]), {"uid": str(r.uid), "item-1": "0", **extra})


def _voice_upload(t: Theirs) -> tuple[Model, str, dict[str, Any]]:
    note = t.voice()
    return note, reverse("voice_upload"), {"uid": str(note.uid), "audio": SimpleUploadedFile("a.ogg", b"OggS")}


UID_CASES = [("measure answer", _measure("measure_answer")), ("measure take", _measure("measure_take", go="later")),
             ("voice upload", _voice_upload)]  # fmt: skip


@pytest.mark.parametrize(("what", "case"), UID_CASES, ids=[what for what, _ in UID_CASES])
def test_another_patients_uid_is_not_found(client, patient, what: str, case: Any):
    row, url, data = case(Theirs())
    before = _same_row(row)
    assert csrf_post(client, url, data).status_code == 404
    assert _same_row(row) == before


def test_words_kept_offline_under_another_patients_uid_are_refused(client, patient):
    theirs = Theirs().entry()
    before = _same_row(theirs)
    item = {"id": str(theirs.uid), "kind": "words", "fields": {"text": "Mine"}, "made_at": "2026-01-05T08:30:00Z"}
    client.cookies["csrftoken"] = _get_new_csrf_string()
    sent = client.post(
        reverse("outbox_arrive"), json.dumps(item), content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )  # fmt: skip
    assert sent.status_code == 404 and sent.json()["stored"] is False
    assert _same_row(theirs) == before and not Entry.objects.filter(owner=patient).exists()
