"""A journal that already holds days far outside a life (stored before dates were bounded, or restored
from such a journal) still opens every chart and page: nothing answers 500."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from afterglow.journal.models import CheckIn, Entry, IntegrationAction, Session
from afterglow.measures.models import MeasureResponse
from tests.journal import course_factories as make

# A day inside the extremes, so each converts to any time zone (and back) without overflowing.
EARLY = datetime(1, 1, 2, 10, 0, tzinfo=UTC)
LATE = datetime(9999, 12, 30, 10, 0, tzinfo=UTC)
PHQ9 = {str(n): 1 for n in range(1, 10)}
PAGES = ["/", "/timeline", "/course", "/course/review", "/checkin", "/actions", "/measures", "/write", "/prompts"]
CHARTS = ["/measures/phq9/chart.svg", "/measures/gad7/chart.svg", "/measures/pcl5/chart.svg"]


@pytest.fixture
def far_journal(patient):
    """Sessions, measures, check-ins, actions and entries at both ends of the calendar, written to the DB directly."""
    course = make.course(patient, start=date(1, 1, 2))
    sessions = [Session.objects.create(owner=patient, course=course, started_at=when) for when in (EARLY, LATE)]
    make.session(patient, course, make.days_ago(2))
    for when in (EARLY, LATE, None):
        finished = when or datetime.now(UTC)
        for instrument, answers in (("phq9", PHQ9), ("gad7", {str(n): 1 for n in range(1, 8)})):
            MeasureResponse.objects.create(
                owner=patient, instrument=instrument, answers=answers, course=course, started_at=finished, finished_at=finished
            )
    for day in (date(1, 1, 2), date(9999, 12, 30)):
        CheckIn.objects.create(owner=patient, day=day, mood=5)
        IntegrationAction.objects.create(owner=patient, what="Walk", due=day)
    for when in (EARLY, LATE):
        make.entry(patient, "Far words", when=when, session=sessions[0])
    return sessions


def test_every_chart_draws_whatever_days_are_stored(client, far_journal):
    for url in CHARTS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.startswith(b"<?xml") or b"<svg" in response.content


def test_every_page_opens_whatever_days_are_stored(client, far_journal):
    steps = ("", "/edit", "/intention", "/reflect", "/revisit", "/capture")
    pages = [*PAGES, "/measures/phq9/take", *(f"/sessions/{s.pk}{step}" for s in far_journal for step in steps)]
    pages += [f"/measures/r/{r.pk}" for r in MeasureResponse.objects.all()]
    pages += [f"/entries/{e.pk}" for e in Entry.objects.all()]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert response.status_code == 200 or "/sessions/" in url, url  # a session step may lead to the next one


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_far_days_open_in_time_zones_far_from_utc(client, far_journal, settings, zone):
    settings.TIME_ZONE = zone
    for url in [*CHARTS, "/timeline", "/measures", "/course/review", "/"]:
        assert client.get(url).status_code in (200, 302), url
