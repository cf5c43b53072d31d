from __future__ import annotations

import io

import pytest

from afterglow.reports import progress as progress_module
from afterglow.reports.exporting import to_path
from afterglow.reports.formats import ExportOptions, exporter
from afterglow.reports.progress import Progress
from tests.reports import full_journal


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_it_draws_a_line_on_a_terminal_and_nothing_in_a_pipe(monkeypatch):
    monkeypatch.setattr(progress_module.time, "monotonic", iter(range(0, 1000, 1)).__next__)
    screen, pipe = Terminal(), io.StringIO()
    for stream in (screen, pipe):
        shown = Progress("Importing", stream, total=4)
        for _ in range(4):
            shown.tick()
        shown.done()
    assert "\rImporting [" in screen.getvalue() and "4/4" in screen.getvalue()
    assert pipe.getvalue() == ""


@pytest.mark.django_db
def test_an_export_counts_its_rows(patient, tmp_path):
    full_journal.build(patient)
    screen = Terminal()
    counted = Progress("Exporting", screen)
    to_path(exporter("csv"), patient, ExportOptions(), tmp_path / "x.zip", counted)
    assert counted.count == 4  # two check-ins and two questionnaires
    assert screen.getvalue().endswith("Exporting: 4 records\n")
