from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from afterglow.journal.models import Entry
from afterglow.media.models import Picture, VoiceNote
from afterglow.moments.models import Star
from afterglow.reports.formats import importer
from afterglow.reports.models import ImportRecord
from afterglow.reports.progress import quiet

SAMPLES = Path(__file__).parent / "samples"


def run(owner, name: str, data: bytes):
    return importer(name).reader(owner, io.BytesIO(data), quiet())


def dayone_zip(folder: Path = SAMPLES / "dayone", extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def afterglow_zip(json_text: str | bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("afterglow.json", json_text)
    return out.getvalue()


@pytest.mark.django_db
def test_it_imports_jrnl_json_with_dates_tags_and_stars(patient):
    result = run(patient, "jrnl", (SAMPLES / "jrnl-export.json").read_bytes())
    assert result.added["entries"] == 2
    sister = Entry.objects.get(owner=patient, title="Rang my sister.")
    assert timezone.localtime(sister.created_at).strftime("%Y-%m-%d %H:%M") == "2025-03-04 21:40"
    assert "#garden" in sister.text and "#sister" in sister.text
    record = ImportRecord.objects.get(entry=sister)
    assert record.starred and record.tags == ["@garden", "@sister"]
    assert not ImportRecord.objects.get(entry__title="Slept through the night for once.").starred
    # jrnl's star is a key moment here.
    assert list(Star.objects.filter(owner=patient).values_list("entry", flat=True)) == [sister.pk]


@pytest.mark.django_db
def test_it_imports_the_jrnl_text_format(patient):
    result = run(patient, "jrnl", (SAMPLES / "jrnl-journal.txt").read_bytes())
    assert result.added["entries"] == 3
    sister = Entry.objects.get(owner=patient, title="Rang my sister.")
    assert sister.text.startswith("We talked about the old house and laughed.\nPlanted bulbs after.")
    assert ImportRecord.objects.get(entry=sister).starred
    assert Entry.objects.get(title="Short one.").text == ""


@pytest.mark.django_db
def test_it_imports_a_day_one_zip_with_photos_and_audio(patient):
    result = run(patient, "dayone", dayone_zip())
    assert result.added == {"entries": 2, "photos": 1, "recordings": 1}
    walk = Entry.objects.get(owner=patient, text__startswith="Walked to the harbour")
    assert "#after-session" in walk.text and "#walks" in walk.text
    assert Picture.objects.filter(entry=walk).count() == 1
    assert VoiceNote.objects.filter(owner=patient).count() == 1
    assert ImportRecord.objects.get(entry=walk).starred


@pytest.mark.django_db
def test_it_imports_a_hand_made_afterglow_file(patient):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.write(SAMPLES / "afterglow" / "afterglow.json", "afterglow.json")
    result = run(patient, "json", data.getvalue())
    assert result.added["entries"] == 1 and result.added["sessions"] == 1 and result.added["checkins"] == 1
    assert Entry.objects.get(owner=patient).session.course.title == "Autumn infusions"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("jrnl", lambda: (SAMPLES / "jrnl-export.json").read_bytes()),
        ("jrnl", lambda: (SAMPLES / "jrnl-journal.txt").read_bytes()),
        ("dayone", dayone_zip),
    ],
)
def test_it_adds_nothing_the_second_time(patient, name, make):
    run(patient, name, make())
    count = Entry.objects.filter(owner=patient).count()
    again = run(patient, name, make())
    assert again.added["entries"] == 0 and again.skipped > 0
    assert Entry.objects.filter(owner=patient).count() == count


@pytest.mark.django_db
def test_it_reads_jrnl_text_written_with_seconds_and_am_pm(patient):
    run(patient, "jrnl", b"[2025-03-06 09:05:30 PM] Late walk. *\nStars out.\n")
    entry = Entry.objects.get(owner=patient)
    assert timezone.localtime(entry.created_at).strftime("%H:%M:%S") == "21:05:30"
    assert entry.title == "Late walk." and ImportRecord.objects.get(entry=entry).starred
