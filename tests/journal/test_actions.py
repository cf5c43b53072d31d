"""The rules for integration actions, without HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from afterglow.journal import actions as rules
from afterglow.journal.models import Entry
from tests.prompts.helpers import make_course, make_session

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


def test_it_creates_an_action_with_a_due_date(patient):
    action = rules.create_action(patient, "  Walk   by the river ", TODAY + timedelta(days=2), today=TODAY)
    assert action.what == "Walk by the river"
    assert action.due == date(2026, 3, 12) and not action.done


def test_an_action_from_an_entry_is_linked_to_its_session(patient):
    session = make_session(make_course(patient))
    entry = Entry.objects.create(owner=patient, session=session, text="Call my brother")
    action = rules.create_action(patient, "Call my brother", entry=entry, today=TODAY)
    assert (action.entry, action.session) == (entry, session)


def test_an_empty_action_is_refused(patient):
    with pytest.raises(ValidationError, match="what you would like to do"):
        rules.create_action(patient, "   ", today=TODAY)


def test_an_overlong_action_is_refused(patient):
    with pytest.raises(ValidationError, match="keep an action short"):
        rules.create_action(patient, "x" * 301, today=TODAY)


def test_a_due_date_in_the_past_is_refused_but_today_is_fine(patient):
    with pytest.raises(ValidationError, match="already passed"):
        rules.create_action(patient, "Rest", TODAY - timedelta(days=1), today=TODAY)
    assert rules.create_action(patient, "Rest", TODAY, today=TODAY).due == TODAY


def test_open_actions_come_due_soonest_first_undated_last(patient):
    late = rules.create_action(patient, "Late", TODAY + timedelta(days=9), today=TODAY)
    undated = rules.create_action(patient, "Someday", today=TODAY)
    soon = rules.create_action(patient, "Soon", TODAY + timedelta(days=1), today=TODAY)
    assert list(rules.open_actions(patient)) == [soon, late, undated]


def test_ticking_off_moves_an_action_to_done_and_undo_brings_it_back(patient):
    action = rules.create_action(patient, "Breathe", today=TODAY)
    rules.mark_done(action)
    assert list(rules.open_actions(patient)) == [] and list(rules.done_actions(patient)) == [action]
    rules.undo(action)
    assert list(rules.open_actions(patient)) == [action]


def test_ticking_twice_keeps_the_first_time(patient):
    action = rules.create_action(patient, "Breathe", today=TODAY)
    rules.mark_done(action)
    first = action.done_at
    rules.mark_done(action)
    assert action.done_at == first


def test_overdue_is_an_open_action_past_its_day(patient):
    action = rules.create_action(patient, "Walk", TODAY, today=TODAY)
    assert not rules.is_overdue(action, TODAY)
    assert rules.is_overdue(action, TODAY + timedelta(days=1))
    rules.mark_done(action)
    assert not rules.is_overdue(action, TODAY + timedelta(days=1))


def test_tally_counts_kept_and_open(patient):
    a, b, _ = (rules.create_action(patient, w, today=TODAY) for w in "abc")
    rules.mark_done(a)
    rules.mark_done(b)
    assert rules.tally(list(rules.open_actions(patient)) + list(rules.done_actions(patient))) == rules.Tally(kept=2, open=1)
