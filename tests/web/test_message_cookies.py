"""No cookie ever carries journal text: flashed messages stay in server memory."""

from __future__ import annotations

import base64
import binascii
import uuid
import zlib

import pytest
from django.utils import timezone

from afterglow.journal import actions as rules
from afterglow.vault import session
from tests.prompts.helpers import submit

pytestmark = pytest.mark.django_db


def readable(value: str) -> str:
    """A cookie's value as a reader would see it: signed Django payloads are only base64 (and zlib)."""
    seen = [value]
    payload = value.split(":", 1)[0]
    compressed = payload.startswith(".")
    try:
        raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
        seen.append((zlib.decompress(raw) if compressed else raw).decode("utf-8", "replace"))
    except (binascii.Error, zlib.error, ValueError):
        pass
    return "\n".join(seen)


def assert_no_cookie_holds(client, response, text: str) -> None:
    for jar in (response.cookies, client.cookies):
        for name, morsel in jar.items():
            assert text not in readable(morsel.value), f"the {name} cookie holds journal text"


def test_a_ticked_off_action_is_named_on_the_next_page_but_in_no_cookie(client, patient):
    what = f"call my sister {uuid.uuid4().hex[:8]}"
    action = rules.create_action(patient, what)
    response = submit(client, f"/actions/{action.pk}/done", page="/actions")
    assert response.status_code == 302
    assert_no_cookie_holds(client, response, what)
    shown = client.get("/actions")
    assert f"“{what}” is ticked off" in shown.content.decode()
    assert_no_cookie_holds(client, shown, what)
    assert "ticked off" not in client.get("/actions").content.decode()  # shown once


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/write", {"text": "MARK", "then": "finish"}),
        ("/actions", {"what": "MARK"}),
        ("/prompts", {"stage": "reflection", "text": "MARK is a prompt of mine?"}),
        ("/checkin", {"mood": "4", "note": "MARK after a long day"}),
        ("/course", {"start_date": "2025-03-01", "title": "MARK series", "clinician": "Dr MARK"}),
    ],
)
def test_no_action_that_flashes_a_message_leaves_its_text_in_a_cookie(client, patient, url, data):
    mark = f"canary{uuid.uuid4().hex[:10]}"
    fields = {k: v.replace("MARK", mark) for k, v in data.items()}
    if url == "/checkin":
        fields["day"] = timezone.localdate().isoformat()
    response = submit(client, url, fields)
    assert response.status_code in (200, 302)
    assert_no_cookie_holds(client, response, mark)
    assert_no_cookie_holds(client, client.get("/"), mark)


def test_locking_forgets_every_message_not_yet_shown(client, patient):
    what = f"a private step {uuid.uuid4().hex[:8]}"
    action = rules.create_action(patient, what)
    submit(client, f"/actions/{action.pk}/done", page="/actions")
    session.lock()
    from afterglow.vault import keyring

    keyring.remember(b"\0" * 32)
    assert "ticked off" not in client.get("/actions").content.decode()
