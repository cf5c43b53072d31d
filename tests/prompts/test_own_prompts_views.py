from __future__ import annotations

import pytest

from afterglow.prompts.models import OwnPrompt
from tests.prompts.helpers import stranger, submit

pytestmark = pytest.mark.django_db


def test_it_adds_an_own_prompt(client, patient):
    response = submit(client, "/prompts", {"stage": "reflection", "text": "What did the music say?"})
    assert response.status_code == 302
    mine = OwnPrompt.objects.get()
    assert (mine.owner, mine.stage, mine.text) == (patient, "reflection", "What did the music say?")
    assert "What did the music say?" in client.get("/prompts").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"stage": "reflection", "text": "  "}, "Write the question"),
        ({"stage": "sometime", "text": "Kept text"}, "Choose one of the listed moments"),
        ({"stage": "action", "text": "y" * 501}, "under 500 characters"),
    ],
)
def test_bad_input_is_shown_again_with_what_was_typed(client, data, message):
    response = submit(client, "/prompts", data)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert data["text"].strip() in body
    assert not OwnPrompt.objects.exists()


def test_it_removes_an_own_prompt(client, patient):
    mine = OwnPrompt.objects.create(owner=patient, stage="recall", text="Colours?")
    assert submit(client, f"/prompts/{mine.pk}/delete", page="/prompts").status_code == 302
    assert not OwnPrompt.objects.exists()


def test_someone_elses_prompt_cannot_be_removed_or_seen(client):
    theirs = OwnPrompt.objects.create(owner=stranger(), stage="recall", text="Their own question")
    assert "Their own question" not in client.get("/prompts").content.decode()
    assert submit(client, f"/prompts/{theirs.pk}/delete", page="/prompts").status_code == 404
    assert OwnPrompt.objects.exists()


def test_it_lists_installed_packs_and_names_a_broken_one(client, settings, tmp_path):
    settings.HOME = tmp_path
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "typo.toml").write_text("id = [", encoding="utf-8")
    body = client.get("/prompts").content.decode()
    assert "Six-session programme" in body and "Recall, reflection, action" in body
    assert "typo.toml" in body and "not valid TOML" in body
