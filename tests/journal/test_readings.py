"""Blood pressure and heart rate around a session: kept as written, checked only for typing slips."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from afterglow.journal import readings
from afterglow.journal.models import Session
from tests.journal import course_factories as make

BEFORE = {"systolic_before": "126", "diastolic_before": "82", "heart_rate_before": "70"}


@pytest.mark.parametrize(("text", "expected"), [("120/80", (120, 80)), (" 135 / 95 ", (135, 95)), ("60/30", (60, 30))])
def test_it_reads_a_blood_pressure(text, expected):
    assert readings.parse_pressure(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("120", "slash"), ("120/80/1", "slash"), ("261/90", "60 to 260"), ("120/29", "30 to 160"), ("80/80", "larger")],
)
def test_it_refuses_an_implausible_blood_pressure(text, message):
    with pytest.raises(ValidationError, match=message):
        readings.parse_pressure(text)


def test_a_blood_pressure_needs_both_numbers_or_neither():
    readings.check_pair(None, None)
    for pair in [(120, None), (None, 80)]:
        with pytest.raises(ValidationError, match="both"):
            readings.check_pair(*pair)


def session_with_course(patient) -> Session:
    return make.session(patient, make.course(patient), make.days_ago(1))


def test_the_session_page_invites_readings_and_shows_them_once_noted(client, patient):
    s = session_with_course(patient)
    body = client.get(f"/sessions/{s.pk}").content.decode()
    assert "Note the readings" in body and "<table" not in body
    response = make.submit(client, f"/sessions/{s.pk}/readings", {**BEFORE, "heart_rate_leaving": "64"}, page=f"/sessions/{s.pk}")
    assert response.status_code == 302 and response.url == f"/sessions/{s.pk}#readings-title"
    s.refresh_from_db()
    assert (s.systolic_before, s.diastolic_before, s.heart_rate_before, s.heart_rate_leaving) == (126, 82, 70, 64)
    assert s.systolic_leaving is None
    body = client.get(f"/sessions/{s.pk}").content.decode()
    assert '<th scope="row">Before the dose</th><td>126/82</td><td>70</td>' in body
    assert '<th scope="row">Before leaving</th><td><span class="meta">not noted</span></td><td>64</td>' in body
    assert "Change the readings" in body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"systolic_before": "1200"}, "That top number looks like a typing slip"),
        ({"diastolic_before": ""}, "please give both the top (systolic) and the bottom (diastolic)"),
        ({"diastolic_before": "140"}, "normally the larger one"),
        ({"heart_rate_before": "300"}, "25 to 250 beats a minute"),
        ({"heart_rate_before": "seventy"}, "whole number"),
    ],
)
def test_a_slip_is_shown_kindly_and_nothing_is_lost(client, patient, change, message):
    s = session_with_course(patient)
    typed = {**BEFORE, "heart_rate_leaving": "64", **change}
    response = make.submit(client, f"/sessions/{s.pk}/readings", typed, page=f"/sessions/{s.pk}")
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'value="64"' in body and '<details class="readings-entry" open>' in body
    s.refresh_from_db()
    assert not s.has_readings


def test_readings_can_be_cleared_again(client, patient):
    s = session_with_course(patient)
    Session.objects.filter(pk=s.pk).update(systolic_before=120, diastolic_before=80)
    make.submit(client, f"/sessions/{s.pk}/readings", {}, page=f"/sessions/{s.pk}")
    s.refresh_from_db()
    assert not s.has_readings


def test_another_patients_session_readings_are_not_there(client, patient):
    theirs = session_with_course(make.stranger())
    assert make.submit(client, f"/sessions/{theirs.pk}/readings", BEFORE, page="/checkin").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.has_readings


def test_the_page_never_interprets_the_numbers(client, patient):
    s = session_with_course(patient)
    Session.objects.filter(pk=s.pk).update(systolic_before=190, diastolic_before=120, heart_rate_before=150)
    body = client.get(f"/sessions/{s.pk}").content.decode().lower()
    for word in ("high", "hypertension", "danger", "normal range", "elevated"):
        assert word not in body.split("readings-title")[1].split("</section>")[0]
