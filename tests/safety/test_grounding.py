"""The grounding page: open while locked, from /help and the quick capture, with a way back."""

from __future__ import annotations

import pytest


@pytest.mark.vault_locked
def test_it_opens_while_the_journal_is_locked(client):
    page = client.get("/help/grounding")
    assert page.status_code == 200
    assert b"count to four" in page.content and b"Five</strong> things you can see" in page.content
    assert b"opens after your passphrase" in page.content


@pytest.mark.vault_locked
def test_help_offers_it_while_locked(client):
    assert b'href="/help/grounding"' in client.get("/help").content


def test_it_leads_back_to_a_page_of_this_site_only(client, patient):
    assert b'href="/sessions/3/capture"' in client.get("/help/grounding?back=/sessions/3/capture").content
    for elsewhere in ("https://example.org/", "//example.org/x", "javascript:alert(1)"):
        assert b"Back to where I was" not in client.get("/help/grounding", {"back": elsewhere}).content


def test_the_quick_capture_offers_it_one_tap_away_with_the_way_back(client, patient):
    from django.utils import timezone

    from afterglow.journal.models import Course, Session

    course = Course.objects.create(owner=patient, start_date=timezone.localdate())
    session = Session.objects.create(owner=patient, course=course, started_at=timezone.now())
    page = client.get(f"/sessions/{session.pk}/capture/now").content.decode()
    assert f'href="/help/grounding?back=/sessions/{session.pk}/capture/now"' in page
