"""Key moments: star entries and capture answers, list them by session, and Today brings one back now and then."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from afterglow.journal.models import Capture
from afterglow.moments import stars
from afterglow.moments.models import Star
from afterglow.preferences.store import local
from afterglow.trash import bin
from tests.journal import course_factories as make

pytestmark = pytest.mark.django_db


def star(client, url: str, on: str = "1", page: str = "/moments"):
    return make.submit(client, url, {"on": on}, page=page)


def test_starring_an_entry_twice_keeps_one_star_and_unstarring_removes_it(client, patient):
    e = make.entry(patient, "the quiet after")
    assert "Star as a key moment" in client.get(f"/entries/{e.pk}").content.decode()
    assert star(client, f"/star/entry/{e.pk}").status_code == 302
    assert star(client, f"/star/entry/{e.pk}").status_code == 302
    assert Star.objects.filter(entry=e).count() == 1
    assert "★ Key moment" in client.get(f"/entries/{e.pk}").content.decode()
    star(client, f"/star/entry/{e.pk}", on="0")
    assert not Star.objects.exists()


def test_another_patients_entry_or_capture_cannot_be_starred(client, patient):
    other = make.stranger()
    theirs = make.entry(other, "not yours")
    assert star(client, f"/star/entry/{theirs.pk}").status_code == 404
    s = make.session(other, make.course(other), make.days_ago(3))
    capture = Capture.objects.create(owner=other, session=s, felt="theirs")
    assert star(client, f"/star/capture/{capture.pk}/felt").status_code == 404
    assert not Star.objects.exists()


def test_the_key_moments_page_lists_stars_by_session(client, patient):
    c = make.course(patient)
    first = make.session(patient, c, make.days_ago(20))
    second = make.session(patient, c, make.days_ago(5))
    capture = Capture.objects.create(owner=patient, session=first, felt="held by something larger")
    assert "☆ Star" in client.get(f"/sessions/{first.pk}/capture/summary").content.decode()
    star(client, f"/star/capture/{capture.pk}/felt")
    assert star(client, f"/star/capture/{capture.pk}/slept").status_code == 404  # not a text answer
    star(client, f"/star/entry/{make.entry(patient, 'a letter to myself', session=second).pk}")
    star(client, f"/star/entry/{make.entry(patient, 'an ordinary tuesday').pk}")
    page = client.get("/moments").content.decode()
    assert page.index("Session 2") < page.index("a letter to myself") < page.index("Session 1")
    assert page.index("Session 1") < page.index("held by something larger") < page.index("Between sessions")
    assert page.index("Between sessions") < page.index("an ordinary tuesday")


def test_a_star_goes_to_the_trash_with_its_entry_and_comes_back_with_it(patient):
    e = make.entry(patient, "keep me")
    stars.set_star(patient, entry=e, on=True)
    item = bin.put(e)
    assert not Star.objects.exists()
    back = bin.restore(item)
    assert Star.objects.get().entry_id == back.pk


def _starred_long_ago(patient, text: str, days: int = 40):
    c = make.course(patient, make.days_ago(90))
    s = make.session(patient, c, make.days_ago(days + 1))
    when = timezone.now() - timedelta(days=days)
    e = make.entry(patient, text, when=when, session=s)
    stars.set_star(patient, entry=e, on=True)
    return e


def test_today_brings_back_at_most_one_moment_a_day_the_same_all_day_and_only_some_days(patient):
    _starred_long_ago(patient, "the river under the bridge")
    _starred_long_ago(patient, "my grandmother's kitchen", days=50)
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in range(30)]
    picks = [stars.moment_for(patient, d) for d in days]
    shown = [p for p in picks if p is not None]
    assert 0 < len(shown) < len(days)  # now and then, not every day
    assert all(stars.moment_for(patient, d) == p for d, p in zip(days, picks, strict=True))  # deterministic per day


def test_a_moment_starred_recently_is_not_brought_back_yet(patient):
    e = make.entry(patient, "just now")
    stars.set_star(patient, entry=e, on=True)
    assert all(stars.moment_for(patient, timezone.localdate() + timedelta(days=n)) is None for n in range(9))


def test_the_today_page_shows_the_moment_and_the_switch_in_settings_turns_it_off(client, patient, monkeypatch):
    _starred_long_ago(patient, "the river under the bridge", days=31)
    monkeypatch.setattr(stars, "EVERY", 1)
    body = client.get("/").content.decode()
    assert "A month ago, after session 1, you wrote…" in body and "the river under the bridge" in body
    assert "bring back a key moment" in client.get("/settings/safety").content.decode()
    response = make.submit(client, "/moments/preference", {}, page="/settings/safety")
    assert response.status_code == 302 and stars.bring_back(local()) is False
    assert "moment-back" not in client.get("/").content.decode()
    make.submit(client, "/moments/preference", {"bring_back": "on"}, page="/settings/safety")
    assert stars.bring_back(local()) is True


def test_ago_is_rough_and_kind():
    today = timezone.localdate()
    assert stars.ago(today - timedelta(days=30), today) == "A month ago"
    assert stars.ago(today - timedelta(days=14), today) == "Two weeks ago"
    assert stars.ago(today - timedelta(days=91), today) == "3 months ago"
