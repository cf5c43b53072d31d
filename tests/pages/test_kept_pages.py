"""The home page and the newest timeline page are kept between views until something they show changes.

Outside a test transaction (`transaction=True`), as under `afterglow serve`: what is kept is read
again when the journal changes, when the day turns, and when a session begins.
"""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from afterglow.journal.models import Entry
from tests.journal import course_factories as make

pytestmark = pytest.mark.django_db(transaction=True)


def _journal(patient):
    c = make.course(patient)
    for n in range(8):
        s = make.session(patient, c, make.days_ago(40 - 5 * n))
        make.entry(patient, f"entry {n}", session=s)
        make.checkin(patient, make.days_ago(n), mood=5)
    return c


def test_it_shows_an_entry_written_between_two_views_of_the_timeline(client, patient):
    _journal(patient)
    assert "a brand new line" not in client.get("/timeline").content.decode()
    make.entry(patient, "a brand new line")
    assert "a brand new line" in client.get("/timeline").content.decode()


def test_it_shows_an_entry_written_between_two_views_of_the_home_page(client, patient):
    _journal(patient)
    assert "a brand new line" not in client.get("/").content.decode()
    make.entry(patient, "a brand new line")
    assert "a brand new line" in client.get("/").content.decode()


def test_it_drops_a_deleted_entry_from_the_kept_timeline(client, patient):
    _journal(patient)
    gone = make.entry(patient, "soon to be gone")
    assert "soon to be gone" in client.get("/timeline").content.decode()
    Entry.objects.filter(pk=gone.pk).delete()
    assert "soon to be gone" not in client.get("/timeline").content.decode()


def test_it_shows_the_newest_entries_first_on_a_kept_timeline(client, patient):
    _journal(patient)
    client.get("/timeline")
    make.entry(patient, "older line", when=timezone.now() - timedelta(minutes=2))
    make.entry(patient, "newest line", when=timezone.now() - timedelta(minutes=1))
    body = client.get("/timeline").content.decode()
    assert body.index("newest line") < body.index("older line")


def test_a_session_that_has_begun_is_no_longer_coming_up(client, patient):
    c = make.course(patient)
    make.session(patient, c, make.days_ago(3))
    soon = make.session(patient, c, make.days_ago(0))
    soon.started_at = timezone.now() + timedelta(minutes=5)
    soon.save()
    assert "Coming up." in client.get("/timeline").content.decode()
    later = timezone.now() + timedelta(minutes=6)
    with mock.patch("django.utils.timezone.now", return_value=later):
        body = client.get("/timeline").content.decode()
    assert "Coming up." not in body


def test_each_browser_gets_its_own_form_token_on_a_kept_page(client, patient):
    # The kept HTML holds nothing of the request: the lock form's token is drawn for each browser.
    _journal(patient)
    client.get("/timeline")
    other = type(client)(enforce_csrf_checks=True)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    tokens = [token.findall(c.get(p).content.decode()) for c in (client, other) for p in ("/timeline", "/")]
    assert all(tokens) and tokens[0][0] != tokens[2][0] and tokens[1][0] != tokens[3][0]


@pytest.mark.parametrize(("path", "most"), [("/", 5), ("/timeline", 3)])
def test_an_unchanged_journal_costs_a_page_a_few_queries(client, patient, path, most):
    # Only the journal's version, once for each kept part (the patient, the sessions, the facts, the HTML).
    _journal(patient)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) <= most, "\n".join(q["sql"] for q in queries.captured_queries)
