"""The Trash on the web: delete asks first, a second delete or restore is kind, another patient's ids are 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from afterglow.journal.models import CheckIn, Course, Entry, Session
from afterglow.trash.models import TrashItem
from tests.journal import course_factories as make

pytestmark = pytest.mark.django_db


def post(client, url: str, data: dict | None = None):
    return make.submit(client, url, data or {}, page="/trash")


def test_it_asks_before_moving_an_entry_to_the_trash_and_restores_it_from_there(client, patient):
    entry = make.entry(patient, "the heron stood still")
    assert f'href="/delete/entry/{entry.pk}"' in client.get(f"/entries/{entry.pk}").content.decode()
    confirm = client.get(f"/delete/entry/{entry.pk}").content.decode()
    assert "Move this to the Trash?" in confirm and "heron" in confirm and Entry.objects.exists()

    response = post(client, f"/delete/entry/{entry.pk}")
    assert response.status_code == 302 and response.url == "/trash" and not Entry.objects.exists()
    page = client.get("/trash").content.decode()
    assert "the heron stood still" in page and "older backups" in page and "Empty trash now" in page

    item = TrashItem.objects.get()
    response = post(client, f"/trash/{item.pk}/restore")
    assert response.status_code == 302 and response.url == f"/entries/{entry.pk}"
    assert Entry.objects.get().text == "the heron stood still"
    assert "The Trash is empty." in client.get("/trash").content.decode()


def test_deleting_twice_or_restoring_twice_is_kind(client, patient):
    pk = make.entry(patient, "once is enough").pk
    post(client, f"/delete/entry/{pk}")
    again = post(client, f"/delete/entry/{pk}")
    assert again.status_code == 302 and again.url == "/trash" and TrashItem.objects.count() == 1
    item = TrashItem.objects.get()
    post(client, f"/trash/{item.pk}/restore")
    twice = post(client, f"/trash/{item.pk}/restore")
    assert twice.status_code == 302 and twice.url == f"/entries/{pk}" and Entry.objects.count() == 1


def test_another_patients_things_cannot_be_deleted_or_restored(client, patient):
    other = make.stranger()
    theirs = make.entry(other, "not yours")
    assert client.get(f"/delete/entry/{theirs.pk}").status_code == 404
    assert post(client, f"/delete/entry/{theirs.pk}").status_code == 404
    assert Entry.objects.filter(pk=theirs.pk).exists()
    from afterglow.trash import bin

    item = bin.put(make.entry(other, "theirs too"))
    assert post(client, f"/trash/{item.pk}/restore").status_code == 404
    assert TrashItem.objects.get().restored_at is None
    assert "theirs too" not in client.get("/trash").content.decode()
    assert client.get("/delete/nonsense/1").status_code == 404


def test_empty_trash_now_erases_only_this_patients_trash(client, patient):
    from afterglow.trash import bin

    bin.put(make.entry(patient, "mine"))
    theirs = bin.put(make.entry(make.stranger(), "theirs"))
    response = post(client, "/trash/empty")
    assert response.status_code == 302 and list(TrashItem.objects.all()) == [theirs]


def test_a_deleted_check_in_goes_to_the_trash(client, patient):
    c = make.checkin(patient, timezone.localdate() - timedelta(days=1), mood=2, note="grey morning")
    make.submit(client, f"/checkin/{c.pk}/delete", {}, page="/checkin")
    assert not CheckIn.objects.exists() and TrashItem.objects.get().kind == "check-in"


def test_a_session_can_move_to_another_course_and_both_renumber(client, patient):
    old = make.course(patient, make.days_ago(60), title="First clinic")
    new = make.course(patient, make.days_ago(20), title="Boosters")
    first = make.session(patient, old, make.days_ago(50))
    stray = make.session(patient, old, make.days_ago(15))
    booster = make.session(patient, new, make.days_ago(10))
    assert "Boosters" in client.get(f"/sessions/{stray.pk}/move").content.decode()
    response = make.submit(client, f"/sessions/{stray.pk}/move", {"course": str(new.pk)})
    assert response.status_code == 302
    assert Session.objects.get(pk=stray.pk).course_id == new.pk
    assert [(s.pk, s.number) for s in Session.objects.filter(course=new).order_by("number")] == [(stray.pk, 1), (booster.pk, 2)]
    assert Session.objects.get(pk=first.pk).number == 1
    theirs = make.course(make.stranger())
    refused = make.submit(client, f"/sessions/{stray.pk}/move", {"course": str(theirs.pk)})
    assert refused.status_code == 400 and Session.objects.get(pk=stray.pk).course_id == new.pk


def test_two_courses_merge_and_the_emptied_one_waits_in_the_trash(client, patient):
    a = make.course(patient, make.days_ago(60), title="Spring")
    b = make.course(patient, make.days_ago(20), title="Autumn")
    make.session(patient, a, make.days_ago(50))
    make.session(patient, b, make.days_ago(10))
    make.session(patient, b, make.days_ago(55))
    response = make.submit(client, f"/courses/{b.pk}/merge", {"into": str(a.pk)})
    assert response.status_code == 302 and list(Course.objects.filter(owner=patient)) == [a]
    assert list(Session.objects.filter(course=a).order_by("started_at").values_list("number", flat=True)) == [1, 2, 3]
    assert TrashItem.objects.get().kind == "course"
    assert make.submit(client, f"/courses/{make.course(make.stranger()).pk}/merge", {"into": str(a.pk)}).status_code == 404


def test_a_session_and_a_capture_can_be_deleted_from_their_pages_and_restored(client, patient):
    from afterglow.journal.models import Capture

    c = make.course(patient)
    s = make.session(patient, c, make.days_ago(4))
    capture = Capture.objects.create(owner=patient, session=s, felt="lighter")
    assert f'href="/delete/capture/{capture.pk}"' in client.get(f"/sessions/{s.pk}/capture/summary").content.decode()
    post(client, f"/delete/capture/{capture.pk}")
    assert not Capture.objects.exists()
    assert f'href="/delete/session/{s.pk}"' in client.get(f"/sessions/{s.pk}").content.decode()
    assert "Session 1 of" in client.get(f"/delete/session/{s.pk}").content.decode()
    post(client, f"/delete/session/{s.pk}")
    assert not Session.objects.exists()
    items = {i.kind: i for i in TrashItem.objects.all()}
    assert post(client, f"/trash/{items['session'].pk}/restore").url == f"/sessions/{s.pk}"
    assert post(client, f"/trash/{items['quick capture'].pk}/restore").status_code == 302
    assert Capture.objects.get().felt == "lighter" and Capture.objects.get().session_id == s.pk


def test_a_capture_cannot_come_back_before_its_session_and_says_so(client, patient):
    from afterglow.journal.models import Capture

    s = make.session(patient, make.course(patient), make.days_ago(4))
    capture = Capture.objects.create(owner=patient, session=s, felt="lighter")
    post(client, f"/delete/capture/{capture.pk}")
    post(client, f"/delete/session/{s.pk}")
    capture_item = TrashItem.objects.get(kind="quick capture")
    response = post(client, f"/trash/{capture_item.pk}/restore")
    assert response.status_code == 302 and response.url == "/trash"
    assert "restore that first" in client.get("/trash").content.decode()
    assert not Capture.objects.exists() and TrashItem.objects.get(pk=capture_item.pk).restored_at is None
