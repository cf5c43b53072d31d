"""A json export writes as it reads: the first entries are out before the last are read, so memory stays bounded."""

from __future__ import annotations

import contextlib
import inspect
import io
from collections.abc import Iterator

import pytest

from afterglow.journal.models import Entry
from afterglow.reports.formats import ExportOptions, Target, afterglow_json
from afterglow.reports.progress import quiet

pytestmark = pytest.mark.django_db


class Recording(Target):
    """Every member written into one buffer, to look at what has been written so far."""

    def __init__(self) -> None:
        self.out = io.BytesIO()

    @contextlib.contextmanager
    def member(self, name: str) -> Iterator[io.BytesIO]:
        yield self.out


def test_it_writes_the_first_entries_of_a_json_export_before_it_reads_the_last(patient):
    Entry.objects.bulk_create(Entry(owner=patient, text=f"streamed entry {n:04d}") for n in range(1200))
    target = Recording()
    writer = afterglow_json.write(target, patient, ExportOptions(), quiet())
    assert inspect.isgenerator(writer)
    for _ in writer:
        if b"streamed entry 0000" in target.out.getvalue():
            break
    else:
        pytest.fail("the export never wrote the first entry")
    assert b"streamed entry 1199" not in target.out.getvalue()
    for _ in writer:
        pass
    assert b"streamed entry 1199" in target.out.getvalue()
