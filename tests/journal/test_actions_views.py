from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from afterglow.journal import actions as rules
from afterglow.journal.models import IntegrationAction
from tests.prompts.helpers import stranger, submit

pytestmark = pytest.mark.django_db


def test_it_lists_open_actions_soonest_first_and_done_ones_below(client, patient):
    today = timezone.localdate()
    rules.create_action(patient, "Later thing", today + timedelta(days=5))
    rules.create_action(patient, "Sooner thing", today + timedelta(days=1))
    finished = rules.create_action(patient, "Finished thing")
    rules.mark_done(finished)
    body = client.get("/actions").content.decode()
    assert body.index("Sooner thing") < body.index("Later thing") < body.index("Finished thing")
    assert body.index('id="done-heading"') < body.index("Finished thing")


def test_long_lists_show_the_first_few_with_a_way_to_see_all(client, patient):
    now = timezone.now()
    IntegrationAction.objects.bulk_create(
        [IntegrationAction(owner=patient, what=f"open {i:03}", created_at=now + timedelta(minutes=i)) for i in range(60)]
        + [
            IntegrationAction(owner=patient, what=f"done {i:03}", created_at=now, done_at=now + timedelta(minutes=i))
            for i in range(30)
        ]
    )
    body = client.get("/actions").content.decode()
    assert "open 049" in body and "open 050" not in body  # oldest first, the first 50
    assert "done 029" in body and "done 010" in body and "done 009" not in body  # the 20 most recent
    assert 'To do <span class="badge">60</span>' in body and 'Done <span class="badge">30</span>' in body
    assert "Show all 60 open actions" in body and "Show all 30 done" in body
    everything = client.get("/actions?open=all&done=all").content.decode()
    assert "open 059" in everything and "done 000" in everything and "Show all" not in everything


def test_it_adds_an_action_directly(client, patient):
    due = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = submit(client, "/actions", {"what": "Book a massage", "due": due})
    assert response.status_code == 302
    action = IntegrationAction.objects.get()
    assert (action.owner, action.what, action.due.isoformat(), action.session) == (patient, "Book a massage", due, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"what": "", "due": ""}, "what you would like to do"),
        ({"what": "Swim", "due": "2026-13-01"}, "does not exist on the calendar"),
        ({"what": "Swim", "due": "2000-01-01"}, "already passed"),
        ({"what": "x" * 400, "due": ""}, "keep an action short"),
    ],
)
def test_bad_input_is_shown_again_with_what_was_typed(client, data, message):
    response = submit(client, "/actions", data)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert f'value="{data["what"]}"' in body and f'value="{data["due"]}"' in body
    assert not IntegrationAction.objects.exists()


def test_it_ticks_off_and_undoes(client, patient):
    action = rules.create_action(patient, "Walk")
    assert submit(client, f"/actions/{action.pk}/done", page="/actions").status_code == 302
    action.refresh_from_db()
    assert action.done
    submit(client, f"/actions/{action.pk}/undo", page="/actions")
    action.refresh_from_db()
    assert not action.done


def test_ticking_off_needs_a_post(client, patient):
    action = rules.create_action(patient, "Walk")
    assert client.get(f"/actions/{action.pk}/done").status_code == 405
    action.refresh_from_db()
    assert not action.done


def test_ticking_off_without_csrf_is_refused(client, patient):
    action = rules.create_action(patient, "Walk")
    assert client.post(f"/actions/{action.pk}/done").status_code == 403


def test_someone_elses_action_is_a_404(client):
    theirs = rules.create_action(stranger(), "Their secret step")
    assert submit(client, f"/actions/{theirs.pk}/done", page="/actions").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.done
    assert "Their secret step" not in client.get("/actions").content.decode()


def test_a_practice_can_be_added_in_one_tap(client, patient):
    response = submit(client, "/actions/practice", {"practice": "practices/gratitude"}, page="/actions")
    assert response.status_code == 302
    assert IntegrationAction.objects.get().what.startswith("Three good things:")


def test_an_unknown_practice_is_refused(client):
    assert submit(client, "/actions/practice", {"practice": "practices/nope"}, page="/actions").status_code == 400
    assert not IntegrationAction.objects.exists()


def test_the_page_lists_the_integration_practices(client):
    body = client.get("/actions").content.decode()
    for title in ("Three good things", "Slow breathing", "Move gently", "Time outside", "A kind reply"):
        assert title in body
