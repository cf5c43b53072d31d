"""The Trash's job on the task queue, for a clinic: no `serve` runs there to purge daily, so each item
put in the Trash queues this for the day it falls due, and one of the clinic's `afterglow worker`s
runs it. Registered by the app's ready() in clinic mode only (the local CLI's lean start leaves the
task queue's app out)."""

from __future__ import annotations

from django_tasks import task

from afterglow.trash.bin import purge
from afterglow.trash.models import TrashItem


@task()
def purge_due_task() -> int:
    """Erase what has waited 30 days in the Trash (whoever's it is)."""
    return purge().items


def queue_purge(item: TrashItem) -> None:
    purge_due_task.using(run_after=item.purge_after).enqueue()
