"""The Trash's 30 days in a clinic: no `serve` runs there to purge daily, so each item put in the
Trash queues its own erasing, which a clinic's `afterglow worker` runs when it falls due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from afterglow.clinic.models import Role
from afterglow.media.voice.worker import QueueWorker
from afterglow.trash import bin
from afterglow.trash.models import TrashItem
from tests.clinic.people import member
from tests.journal import course_factories as make

pytestmark = [pytest.mark.clinic, pytest.mark.django_db(transaction=True)]  # the worker opens its own connection

PURGE = "afterglow.trash.tasks.purge_due_task"


def test_a_clinic_worker_erases_what_waited_thirty_days():
    patient = member("pat", Role.PATIENT)
    item = bin.put(make.entry(patient, "words to let go of"), now=timezone.now() - timedelta(days=30, minutes=1))
    assert DBTaskResult.objects.get(task_path=PURGE).run_after == item.purge_after
    assert QueueWorker(interval=0.1).run_until_empty() == 1
    assert not TrashItem.objects.filter(pk=item.pk).exists()


def test_a_clinic_worker_leaves_what_is_not_yet_due():
    patient = member("pat", Role.PATIENT)
    item = bin.put(make.entry(patient, "maybe I will want this back"))
    assert QueueWorker(interval=0.1).run_until_empty() == 0
    assert TrashItem.objects.filter(pk=item.pk).exists()
    assert DBTaskResult.objects.get(task_path=PURGE).run_after == item.purge_after  # still waiting its day
