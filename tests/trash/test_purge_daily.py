"""The server's background tick purges the Trash at start and then once a day, only while unlocked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from afterglow.trash import bin
from afterglow.trash.models import TrashItem
from afterglow.vault import background
from tests.journal import course_factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch, settings):
    settings.VAULT_AUTO_BACKUP = False
    monkeypatch.setattr(background.chores["trash purge"], "last", None)


def test_the_first_tick_purges_what_waited_thirty_days_and_the_next_waits_a_day(patient, monkeypatch):
    old = bin.put(make.entry(patient, "long ago"), now=timezone.now() - timedelta(days=30, minutes=1))
    recent = bin.put(make.entry(patient, "yesterday"), now=timezone.now() - timedelta(days=1))
    background.tick()
    assert list(TrashItem.objects.all()) == [recent] and not TrashItem.objects.filter(pk=old.pk).exists()

    calls = []
    monkeypatch.setattr(bin, "purge", lambda **kw: calls.append(kw) or bin.Purged(0))
    background.tick()
    assert calls == []
    monkeypatch.setattr(background.chores["trash purge"], "last", background.time.monotonic() - background.DAY)
    background.tick()
    assert len(calls) == 1


@pytest.mark.vault_locked
def test_a_locked_journal_is_not_purged(monkeypatch):
    calls = []
    monkeypatch.setattr(bin, "purge", lambda **kw: calls.append(kw) or bin.Purged(0))
    background.tick()
    assert calls == []


def test_local_mode_queues_no_purge_job_serve_purges_daily(patient):
    from django_tasks_db.models import DBTaskResult

    bin.put(make.entry(patient, "gone"))
    assert not DBTaskResult.objects.filter(task_path="afterglow.trash.tasks.purge_due_task").exists()
