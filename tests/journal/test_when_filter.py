"""`|when` is a faster `|date` for the timeline: it must print exactly what `|date` prints."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

FORMATS = ["l j F Y, H:i", "j F Y", "D j M", "Y-m-d", "j F, H:i", "j M Y", "D j M, H:i", "c", "U"]
MOMENTS = [
    datetime(2026, 1, 5, 3, 7, tzinfo=UTC),  # the small hours: a different day in New York
    datetime(2025, 12, 31, 23, 59, tzinfo=UTC),  # the last minute of a year
    datetime(2026, 7, 9, 12, 0, tzinfo=UTC),  # summer time
]


def rendered(source: str, value, fmt: str) -> str:
    return Template("{% load journal_links %}" + source).render(Context({"v": value, "f": fmt}))


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_when_prints_what_date_prints_in_local_time(settings, zone, fmt):
    settings.TIME_ZONE = zone
    for moment in MOMENTS:
        assert rendered("{{ v|when:f }}", moment, fmt) == rendered("{{ v|date:f }}", moment, fmt)


def test_when_formats_plain_days_and_nothing():
    assert rendered("{{ v|when:f }}", date(2026, 3, 1), "D j M") == "Sun 1 Mar"
    assert rendered("{{ v|when:f }}", None, "D j M") == ""
