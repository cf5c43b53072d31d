"""One JSON refusal for background saves, carrying a UserError's own message and status."""

from __future__ import annotations

import json

from afterglow.journal.autosave import AutosaveError
from afterglow.lib.errors import UserError
from afterglow.vault.errors import Locked
from afterglow.web.background import refused


def _body(response) -> dict:
    return json.loads(response.content)


def test_it_says_a_plain_message_with_400():
    response = refused("This page lost track of its questionnaire.")
    assert response.status_code == 400
    assert _body(response) == {"ok": False, "message": "This page lost track of its questionnaire."}


def test_it_takes_a_user_errors_message_and_status():
    response = refused(AutosaveError("This entry changed elsewhere.", 409))
    assert response.status_code == 409 and _body(response)["message"] == "This entry changed elsewhere."


def test_a_subclass_status_carries_through():
    assert refused(Locked()).status_code == 423


def test_a_status_given_wins():
    assert refused(UserError("There is no such answer."), 404).status_code == 404
