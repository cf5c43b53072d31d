from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from afterglow.measures import course
from afterglow.measures.instruments import instruments
from afterglow.measures.models import MeasureResponse
from afterglow.safety.plan import save as save_plan
from tests.conftest import csrf_post
from tests.journal import course_factories as make


def phq9_form(*values: str, go: str = "finish", uid: str | None = None) -> dict[str, str]:
    data = {f"item-{n}": v for n, v in enumerate(values, start=1)}
    return {**data, "uid": uid or str(uuid.uuid4()), "go": go}


def take(client, *values: str, **kw) -> object:
    return csrf_post(client, "/measures/phq9/take", phq9_form(*values, **kw))


def test_it_shows_every_item_verbatim_with_the_attribution(client, patient):
    body = client.get("/measures/phq9/take").content.decode()
    assert "Thoughts that you would be better off dead or of hurting yourself in some way" in body
    assert "Over the last 2 weeks, how often have you been bothered by any of the following problems?" in body
    assert "No permission required to reproduce, translate, display or distribute." in body
    assert body.count('type="radio"') == 40  # nine items and the difficulty question, four answers each


def test_finishing_shows_total_band_and_the_clinician_line(client, patient):
    response = take(client, "1", "1", "1", "1", "1", "1", "2", "2", "0")
    saved = MeasureResponse.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/measures/r/{saved.pk}"
    body = client.get(response["Location"]).content.decode()
    assert "PHQ-9: 10 out of 27 — Moderate" in body
    assert "Talk to your clinician about what this means for you." in body
    assert "Please reach out now" not in body
    assert "you are safe" not in body.lower()


def test_item_9_above_zero_puts_crisis_help_before_the_score(client, patient):
    response = take(client, "0", "0", "0", "0", "0", "0", "0", "0", "1")
    body = client.get(response["Location"]).content.decode()
    assert "Please reach out now" in body and "Call 988" in body and "Text 988" in body and "Call 911" in body
    assert "Contact your care team now" in body and "Make a safety plan" in body
    assert body.index("Please reach out now") < body.index("PHQ-9: 1 out of 27")


def test_the_crisis_panel_offers_the_plan_once_there_is_one(client, patient):
    save_plan(patient, {"reasons": "My sister's kids"})
    response = take(client, "0", "0", "0", "0", "0", "0", "0", "0", "2")
    body = client.get(response["Location"]).content.decode()
    assert "Open my safety plan" in body


def test_an_incomplete_questionnaire_is_kept_and_says_there_is_no_total(client, patient):
    response = take(client, "1", "2", "", "1")
    saved = MeasureResponse.objects.get()
    assert saved.answers == {"1": 1, "2": 2, "4": 1}
    body = client.get(response["Location"]).content.decode()
    assert "3 of 9 questions answered, so there is no total" in body
    assert "Question 9 was not answered, so how you are doing on it is unknown." in body
    assert "not answered (unknown)" in body


def test_a_four_is_refused_with_a_400_and_the_other_answers_kept(client, patient):
    response = take(client, "1", "2", "4", "1")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Question 3 of the PHQ-9 takes an answer from 0 to 3" in body
    assert 'name="item-2" value="2" checked' in body and 'name="item-4" value="1" checked' in body
    assert not MeasureResponse.objects.exists()


def test_letters_are_refused_with_a_400(client, patient):
    response = take(client, "x")
    assert response.status_code == 400 and "not “x”" in response.content.decode()


def test_nothing_answered_is_refused_kindly(client, patient):
    response = take(client)
    assert response.status_code == 400 and "at least one question" in response.content.decode()


def test_autosave_keeps_each_answer_on_one_row_and_says_when_item_9_needs_help(client, patient):
    uid = str(uuid.uuid4())
    first = csrf_post(client, "/measures/phq9/answer", {"uid": uid, "item-1": "2"})
    assert first.json()["ok"] and first.json()["answered"] == 1 and first.json()["crisis"] is False
    second = csrf_post(client, "/measures/phq9/answer", {"uid": uid, "item-9": "1"})
    assert second.json()["crisis"] is True and second.json()["answered"] == 2
    saved = MeasureResponse.objects.get()
    assert saved.answers == {"1": 2, "9": 1} and saved.finished_at is None


def test_autosave_refuses_a_bad_answer_in_json(client, patient):
    response = csrf_post(client, "/measures/phq9/answer", {"uid": str(uuid.uuid4()), "item-1": "7"})
    assert response.status_code == 400 and not response.json()["ok"]


def test_leaving_half_way_and_coming_back_picks_up_the_same_answers(client, patient):
    uid = str(uuid.uuid4())
    csrf_post(client, "/measures/phq9/answer", {"uid": uid, "item-1": "3"})
    body = client.get("/measures/phq9/take").content.decode()
    assert f'value="{uid}"' in body and 'name="item-1" value="3" checked' in body and "Welcome back" in body
    assert 'href="/measures/phq9/take">Continue the PHQ-9' in client.get("/measures").content.decode()


def test_finish_later_keeps_it_open(client, patient):
    response = take(client, "1", go="later")
    assert response["Location"] == "/measures"
    assert MeasureResponse.objects.get().finished_at is None


def test_results_show_change_since_baseline_and_last_with_response(client, patient):
    make.course(patient)
    take(client, *"222222220")  # 16
    take(client, *"222211110")  # 12
    body = client.get(take(client, *"111111110")["Location"]).content.decode()  # 8
    assert "down 8 points" in body and "down 4 points" in body
    assert "“response”" in body


def test_overview_shows_a_chart_and_the_same_numbers_in_a_table(client, patient):
    make.course(patient)
    take(client, *"222222220")
    take(client, *"111111110")
    body = client.get("/measures").content.decode()
    assert 'src="/measures/phq9/chart.svg"' in body
    assert "<table" in body and "<td>16</td>" in body and "<td>8</td>" in body and "-8" in body


def test_the_chart_is_an_svg_with_no_script_and_nothing_from_elsewhere(client, patient):
    c = make.course(patient)
    make.session(patient, c, make.days_ago(3))
    take(client, *"222222220")
    response = client.get("/measures/phq9/chart.svg")
    svg = response.content.decode()
    assert response["Content-Type"] == "image/svg+xml" and svg.lstrip().startswith("<?xml")
    assert "<script" not in svg and 'xlink:href="http' not in svg and "@import" not in svg


def test_someone_elses_result_is_not_found(client, patient):
    other = make.stranger()
    theirs = MeasureResponse.objects.create(owner=other, instrument="phq9", answers={"9": 2})
    theirs.finished_at = theirs.started_at
    theirs.save()
    assert client.get(f"/measures/r/{theirs.pk}").status_code == 404
    response = csrf_post(client, "/measures/phq9/answer", {"uid": str(theirs.uid), "item-1": "1"})
    assert response.status_code == 404


def test_an_unknown_measure_is_not_found(client, patient):
    assert client.get("/measures/bdi/take").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_chart_is_drawn_again_once_a_new_score_is_saved(client, patient):
    # Outside a test transaction the drawing is kept between requests until the journal changes.
    take(client, *"222222220")
    first = client.get("/measures/phq9/chart.svg").content
    assert client.get("/measures/phq9/chart.svg").content == first
    take(client, *"000000000")
    assert client.get("/measures/phq9/chart.svg").content != first


def test_the_overview_reads_every_questionnaire_in_one_query_whatever_the_number_of_kinds(client, patient):
    take(client, *"222222220")
    take(client, *"111111110")
    csrf_post(client, "/measures/gad7/answer", {"uid": str(uuid.uuid4()), "item-1": "2"})  # begun, open to continue
    stale = MeasureResponse.objects.create(owner=patient, instrument="pcl5", answers={"1": 1})
    MeasureResponse.objects.filter(pk=stale.pk).update(started_at=timezone.now() - timedelta(days=400))  # past its window
    with CaptureQueriesContext(connection) as seen:
        body = client.get("/measures").content.decode()
    reads = [q["sql"] for q in seen.captured_queries if "measures_measureresponse" in q["sql"]]
    assert len(reads) == 2, reads  # every card in one, and one for whether to suggest taking them
    assert "<td>16</td>" in body and "<td>8</td>" in body and "-8" in body
    assert 'href="/measures/gad7/take">Continue the GAD-7' in body
    assert 'href="/measures/pcl5/take">Continue' not in body
    cards = {c.instrument.id: c for c in course.cards(patient, instruments().values())}
    assert [r.total for r in cards["phq9"].rows] == [8, 16] and cards["phq9"].open is None
    assert cards["gad7"].open is not None and cards["gad7"].rows == [] and cards["pcl5"].open is None
