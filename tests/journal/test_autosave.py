"""Create-or-update by uid: the rules behind the writing page's autosave."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from afterglow.journal import autosave as saving
from afterglow.journal.models import Entry, EntryRevision
from afterglow.prompts.models import OwnPrompt
from tests.journal.course_factories import course, days_ago, session, stranger


def test_it_creates_the_entry_with_the_uid_the_browser_chose(patient):
    uid = uuid.uuid4()
    saved = saving.autosave(patient, uid, "First words")
    assert saved.created and saved.entry.uid == uid
    assert Entry.objects.get(uid=uid).text == "First words"


def test_it_updates_the_same_entry_and_keeps_every_revision(patient):
    uid = uuid.uuid4()
    saving.autosave(patient, uid, "First")
    saved = saving.autosave(patient, uid, "First and second")
    assert not saved.created and saved.changed
    assert Entry.objects.count() == 1
    revisions = list(EntryRevision.objects.filter(entry=saved.entry).order_by("id").values_list("text", flat=True))
    assert revisions == ["First", "First and second"]


def test_it_is_idempotent_when_the_same_save_arrives_twice(patient):
    uid = uuid.uuid4()
    saving.autosave(patient, uid, "Same")
    again = saving.autosave(patient, uid, "Same")
    assert not again.changed
    assert Entry.objects.count() == 1 and EntryRevision.objects.count() == 1


def test_it_treats_crlf_and_lf_as_the_same_text(patient):
    uid = uuid.uuid4()
    saving.autosave(patient, uid, "one\ntwo")
    assert not saving.autosave(patient, uid, "one\r\ntwo").changed
    assert saving.digest("one\r\ntwo") == saving.digest("one\ntwo")


def test_it_checks_the_text_once_per_save_new_or_changed(patient, monkeypatch):
    from afterglow.journal import entries

    calls: list[str] = []
    check = entries.clean_text
    monkeypatch.setattr(entries, "clean_text", lambda text, **kw: calls.append(text) or check(text, **kw))
    uid = uuid.uuid4()
    saving.autosave(patient, uid, "one\r\ntwo")
    saving.autosave(patient, uid, "one\r\ntwo\r\nthree")
    assert calls == ["one\r\ntwo", "one\r\ntwo\r\nthree"]
    assert Entry.objects.get().text == "one\ntwo\nthree"


def test_it_refuses_an_empty_entry_with_a_kind_400(patient):
    with pytest.raises(saving.AutosaveError) as caught:
        saving.autosave(patient, uuid.uuid4(), "   \n ")
    assert caught.value.status == 400 and "nothing to save" in str(caught.value).lower()
    assert not Entry.objects.exists()


def test_it_refuses_text_over_the_limit_with_a_413(patient, settings):
    settings.ENTRY_MAX_CHARS = 50
    with pytest.raises(saving.AutosaveError) as caught:
        saving.autosave(patient, uuid.uuid4(), "x" * 51)
    assert caught.value.status == 413 and "split" in str(caught.value)


def test_it_keeps_the_last_text_when_an_update_is_empty(patient):
    uid = uuid.uuid4()
    saving.autosave(patient, uid, "Keep me")
    with pytest.raises(saving.AutosaveError):
        saving.autosave(patient, uid, "")
    assert Entry.objects.get(uid=uid).text == "Keep me"


def test_it_never_touches_someone_elses_entry(patient):
    other = stranger()
    uid = uuid.uuid4()
    saving.autosave(other, uid, "Theirs")
    with pytest.raises(saving.NotYours):
        saving.autosave(patient, uid, "Mine now?")
    assert Entry.objects.get(uid=uid).text == "Theirs"


def test_it_fixes_session_and_prompt_at_creation_and_lets_private_change(patient):
    s = session(patient, course(patient), days_ago(1))
    own = OwnPrompt.objects.create(owner=patient, stage=OwnPrompt.Stage.REFLECTION, text="What softened?")
    prompt = saving.find_prompt(patient, f"own/{own.pk}")
    uid = uuid.uuid4()
    saving.autosave(patient, uid, "A", session=s, prompt=prompt)
    saved = saving.autosave(patient, uid, "A", session=None, prompt=None, private=True)
    entry = Entry.objects.get(uid=uid)
    assert entry.session == s and entry.mode == Entry.Mode.GUIDED
    assert entry.prompt_id == f"own/{own.pk}" and entry.prompt_text == "What softened?"
    assert entry.private and saved.changed


def test_it_finds_shipped_prompts_by_key_and_nothing_for_unknown_keys(patient):
    prompt = saving.find_prompt(patient, "three-stage/" + _first_prompt_id("three-stage"))
    assert prompt is not None and prompt.text
    assert saving.find_prompt(patient, "three-stage/no-such-prompt") is None
    assert saving.find_prompt(patient, "nope") is None
    assert saving.find_prompt(patient, "own/999") is None


def _first_prompt_id(pack_id: str) -> str:
    from afterglow.prompts.library import library

    return library()[pack_id].prompts[0].id


def test_it_offers_the_open_entry_again_only_while_it_is_recent(patient):
    uid = uuid.uuid4()
    saving.autosave(patient, uid, "Unfinished")
    assert saving.open_entry(patient, str(uid)) is not None
    later = timezone.now() + timedelta(hours=saving.OPEN_ENTRY_HOURS + 1)
    assert saving.open_entry(patient, str(uid), now=later) is None
    assert saving.open_entry(patient, "not-a-uid") is None
    assert saving.open_entry(stranger(), str(uid)) is None
