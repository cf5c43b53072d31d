"""The course review's new sections and the compare page: empty states, bad input, ownership, a long course."""

from __future__ import annotations

import pytest

from afterglow.journal.models import Capture, Intention
from tests.journal.course_factories import checkin, course, days_ago, entry, session, stranger

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def test_without_check_ins_the_review_explains_instead_of_drawing(client, patient):
    c = course(patient)
    session(patient, c, days_ago(5))
    page = body(client.get("/course/review"))
    assert "No check-ins in this course yet" in page
    assert "review_mood_chart" not in page and "/course/review/mood.svg" not in page


def test_with_check_ins_the_review_has_both_charts_and_their_tables(client, patient):
    c = course(patient, days_ago(30))
    session(patient, c, days_ago(10))
    for n in range(12):
        checkin(patient, days_ago(n), mood=4 + (n < 10 and n > 0) * 3, anxiety=3)
    page = body(client.get("/course/review"))
    assert f"/course/review/mood.svg?course={c.pk}" in page and f"/course/review/curve.svg?course={c.pk}" in page
    assert "Your check-ins, newest first" in page and "Mood on each day around each session" in page
    assert "After session 1 your mood stayed above your pre-session level for 7 days." in page


def test_the_charts_are_svg_in_both_sizes_even_with_one_data_point(client, patient):
    c = course(patient, days_ago(3))
    session(patient, c, days_ago(1))
    checkin(patient, days_ago(0), mood=6)
    for url in ("/course/review/mood.svg", "/course/review/curve.svg"):
        for size in ("wide", "phone"):
            response = client.get(f"{url}?course={c.pk}&size={size}")
            assert response.status_code == 200
            assert response["Content-Type"] == "image/svg+xml"
            assert body(response).lstrip().startswith("<?xml")


def test_someone_elses_chart_is_a_404(client, patient):
    theirs = course(stranger())
    assert client.get(f"/course/review/mood.svg?course={theirs.pk}").status_code == 404
    assert client.get("/course/review/mood.svg?course=abc").status_code == 404


def test_the_review_shows_the_side_effect_grid_with_shade_and_number(client, patient):
    c = course(patient)
    s1, s2 = session(patient, c, days_ago(9)), session(patient, c, days_ago(2))
    Capture.objects.create(owner=patient, session=s1, sensations={"headache": 3}, dissociation=1)
    page = body(client.get("/course/review"))
    assert 'class="effect-cell level-3"><span class="effect-number">3</span>' in page
    assert f'href="/sessions/{s2.pk}/capture">no capture</a>' in page


def test_a_course_of_forty_sessions_renders_every_part(client, patient):
    c = course(patient, days_ago(300))
    sessions = [session(patient, c, days_ago(290 - n * 7)) for n in range(40)]
    for n in range(0, 295, 2):
        checkin(patient, days_ago(n), mood=1 + n % 10)
    Capture.objects.create(owner=patient, session=sessions[3], sensations={"nausea": 1})
    assert client.get("/course/review").status_code == 200
    assert client.get("/course/review/curve.svg?size=phone").status_code == 200
    assert client.get("/course/review/mood.svg").status_code == 200
    picked = "&".join(f"s={s.pk}" for s in sessions[:6])
    assert client.get(f"/course/compare?{picked}").status_code == 200


def test_compare_puts_chosen_sessions_side_by_side(client, patient):
    c = course(patient)
    s1, s2 = session(patient, c, days_ago(20)), session(patient, c, days_ago(10))
    Intention.objects.create(owner=patient, session=s1, text="Rest more", fit=Intention.Fit.MOSTLY)
    Capture.objects.create(owner=patient, session=s1, first_impression="Warm waves", saw_colours="amber", emotions=["awe"],
                           signature={"hope": 2}, sensations={"nausea": 2})  # fmt: skip
    checkin(patient, days_ago(21), mood=3)
    checkin(patient, days_ago(19), mood=6)
    page = body(client.get(f"/course/compare?s={s1.pk}&s={s2.pk}"))
    for text in ("Rest more", "Fit: Mostly", "Warm waves", "amber", "awe", "Hope: moderate", "Nausea: moderate"):
        assert text in page
    assert "No capture for this session" in page  # session 2 has none
    assert "Day before: 3" in page and "Day 1: 6" in page
    assert page.index("Session 1") < page.index("Session 2")


def test_compare_shows_the_readings_noted_around_each_session(client, patient):
    c = course(patient)
    s1, s2 = session(patient, c, days_ago(20)), session(patient, c, days_ago(10))
    s1.systolic_before, s1.diastolic_before, s1.heart_rate_before, s1.heart_rate_leaving = 128, 84, 76, 70
    s1.save()
    page = body(client.get(f"/course/compare?s={s1.pk}&s={s2.pk}"))
    row = page[page.index("Blood pressure and heart rate") :].split("</tr>")[0]
    assert "Before the dose:</span> 128/84 mmHg, 76 a minute" in row
    assert "Before leaving:</span> 70 a minute" in row
    assert "None noted" in row  # session 2 has none


def test_compare_with_one_session_asks_kindly_for_another(client, patient):
    c = course(patient)
    s1 = session(patient, c, days_ago(20))
    session(patient, c, days_ago(10))
    response = client.get(f"/course/compare?s={s1.pk}")
    assert response.status_code == 400
    assert "Pick at least two sessions" in body(response)


def test_compare_with_a_bad_value_is_a_400_not_a_traceback(client, patient):
    response = client.get("/course/compare?s=1&s=drop")
    assert response.status_code == 400
    assert "not a session number" in body(response)


def test_compare_naming_someone_elses_session_is_a_404(client, patient):
    c = course(patient)
    mine = session(patient, c, days_ago(20))
    someone = stranger()
    theirs = session(someone, course(someone), days_ago(10))
    response = client.get(f"/course/compare?s={mine.pk}&s={theirs.pk}")
    assert response.status_code == 404


def test_compare_without_a_choice_shows_the_picker(client, patient):
    c = course(patient)
    session(patient, c, days_ago(20))
    session(patient, c, days_ago(10))
    page = body(client.get("/course/compare"))
    assert 'name="s"' in page and "Pick two or more sessions" in page


def test_with_one_session_comparing_is_explained(client, patient):
    session(patient, course(patient), days_ago(2))
    assert "Comparing needs at least two sessions" in body(client.get("/course/review"))


def test_themes_on_the_review_link_to_the_writing(client, patient):
    c = course(patient, days_ago(20))
    session(patient, c, days_ago(10))
    written = [entry(patient, "The lighthouse keeper again.") for _ in range(3)]
    page = body(client.get("/course/review"))
    assert "lighthouse keeper" in page
    assert f'href="/entries/{written[0].pk}"' in page
    assert "Each session's own themes" in page


def test_a_course_without_sessions_or_check_ins_explains_each_part(client, patient):
    course(patient)
    response = client.get("/course/review")
    assert response.status_code == 200
    page = body(response)
    assert "No check-ins in this course yet" in page
    assert "Once you have had a session" in page
    assert "Comparing needs at least two sessions" in page
    assert "Nothing written in this course yet" in page


def test_a_session_stored_in_year_9999_leaves_the_review_and_its_charts_working(client, patient):
    from datetime import UTC, datetime

    from afterglow.journal.models import Session

    c = course(patient, days_ago(20))
    session(patient, c, days_ago(10))
    # Stored directly, as a journal written before dates were bounded may hold it.
    Session.objects.create(owner=patient, course=c, started_at=datetime(9999, 12, 31, 10, tzinfo=UTC))
    Session.objects.create(owner=patient, course=c, started_at=datetime(1, 1, 2, 10, tzinfo=UTC))
    checkin(patient, days_ago(9), mood=6)
    for url in ("/course/review", "/course/review/mood.svg", "/course/review/curve.svg?size=phone", "/course/compare"):
        assert client.get(url).status_code == 200, url
