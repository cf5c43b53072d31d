"""What a device on the Wi-Fi meets through the `serve --lan` listener (each line of issue 17's security list)."""

from __future__ import annotations

import os

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone

from afterglow.phones import ca, lan
from afterglow.phones.devices import COOKIE, pairing, registry
from afterglow.vault import keyring, session
from tests.phones.conftest import LAN_HOST, OVER_LAN


def lan_get(client, path: str):
    return client.get(path, secure=True, **OVER_LAN)


def lan_post(client, path: str, data: dict, **extra):
    if "csrftoken" not in client.cookies:
        client.cookies["csrftoken"] = _get_new_csrf_string()
    headers = {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-origin", **extra}
    payload = {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    return client.post(path, payload, secure=True, **OVER_LAN, **headers)


def paired(client) -> str:
    device, token = registry.add("Sam's phone")
    client.cookies[COOKIE] = token
    return device.id


@pytest.mark.parametrize("path", ["/", "/timeline", "/checkin", "/settings/phones", "/privacy", "/unlock", "/search?q=a"])
def test_it_sends_an_unpaired_device_to_the_pairing_page(client, path):
    response = lan_get(client, path)
    assert response.status_code == 302 and response["Location"] == "/pair"


def test_it_shows_an_unpaired_device_the_pairing_page_and_help(client):
    assert lan_get(client, "/pair").status_code == 200
    assert lan_get(client, "/help").status_code == 200


def test_it_takes_nothing_in_from_an_unpaired_device(client, patient):
    response = lan_post(client, "/checkin", {"mood": "5"})
    assert response.status_code == 403
    assert not patient.checkins.exists()


def test_it_refuses_lan_requests_that_are_not_https(client):
    response = client.get("/pair", **OVER_LAN)  # not secure: the listener speaks only TLS, so this is no phone of ours
    assert response.status_code == 403
    assert b"only opens on this computer" in response.content


def test_it_pairs_with_the_code_and_sets_a_secure_httponly_strict_cookie(client):
    code = pairing.new_code()
    response = lan_post(client, "/pair", {"code": code.shown, "name": "Sam's phone"})
    assert response.status_code == 302 and response["Location"] == "/"
    cookie = response.cookies[COOKIE]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert [d.name for d in registry.all()] == ["Sam's phone"]
    assert lan_get(client, "/").status_code == 200


def test_it_pairs_a_code_only_once(client, db):
    code = pairing.new_code()
    assert lan_post(client, "/pair", {"code": code.value, "name": "One"}).status_code == 302
    other = type(client)(enforce_csrf_checks=True)
    response = lan_post(other, "/pair", {"code": code.value, "name": "Two"})
    assert response.status_code == 400 and b"does not work" in response.content
    assert [d.name for d in registry.all()] == ["One"]


def test_it_throttles_guessed_codes(client):
    pairing.new_code()
    statuses = [lan_post(client, "/pair", {"code": "AAAA-AAAA", "name": "x"}).status_code for _ in range(5)]
    assert statuses[:3] == [400, 400, 400] and statuses[3:] == [429, 429]
    assert registry.all() == []


def test_it_marks_every_cookie_secure_over_the_lan(client):
    response = lan_get(client, "/pair")
    assert response.cookies["csrftoken"]["secure"]


def test_it_keeps_no_referrer_and_the_strict_csp_over_the_lan(client):
    response = lan_get(client, "/pair")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_it_lets_a_paired_phone_in(client, patient):
    paired(client)
    assert lan_get(client, "/").status_code == 200
    response = lan_post(client, "/checkin", {"mood": "6", "day": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert patient.checkins.count() == 1


def test_it_checks_origin_and_csrf_over_https(client, patient):
    paired(client)
    elsewhere = {"HTTP_ORIGIN": "https://elsewhere.example", "HTTP_SEC_FETCH_SITE": "cross-site"}
    other_site = lan_post(client, "/checkin", {"mood": "6"}, **elsewhere)
    assert other_site.status_code == 403
    forged = client.post("/checkin", {"mood": "6", "csrfmiddlewaretoken": "x" * 32}, secure=True, **OVER_LAN,
                         HTTP_ORIGIN=f"https://{LAN_HOST}")  # fmt: skip
    assert forged.status_code == 403
    assert not patient.checkins.exists()


@pytest.mark.vault_locked
def test_it_shows_a_paired_phone_the_unlock_page_while_locked(client, db, phone_home):
    (phone_home / "keys.json").write_text("{}")  # a journal exists: locked means the unlock page
    paired(client)
    response = lan_get(client, "/timeline")
    assert response.status_code == 302 and response["Location"].startswith("/unlock")
    assert lan_get(client, "/unlock").status_code == 200


def test_it_locks_for_phones_too_after_the_idle_minutes(client, db, settings, monkeypatch, phone_home):
    (phone_home / "keys.json").write_text("{}")
    paired(client)
    settings.VAULT_IDLE_MINUTES = 1
    monkeypatch.setattr(session, "idle_seconds", lambda: 61.0)
    response = lan_get(client, "/timeline")
    assert response["Location"].startswith("/unlock") and not session.is_unlocked()


def test_it_refuses_a_revoked_phone_on_its_next_request(client, db):
    device_id = paired(client)
    assert lan_get(client, "/timeline").status_code == 200
    computer = type(client)(enforce_csrf_checks=True)
    computer.cookies["csrftoken"] = token = _get_new_csrf_string()
    assert computer.post(f"/settings/phones/{device_id}/revoke", {"csrfmiddlewaretoken": token}).status_code == 302
    response = lan_get(client, "/timeline")
    assert response.status_code == 302 and response["Location"] == "/pair"


def test_it_manages_phones_only_on_the_computer(client, db):
    paired(client)
    assert lan_get(client, "/settings/phones").status_code == 403
    assert lan_post(client, "/settings/phones/code", {}).status_code == 403
    assert pairing.live() is None


def test_it_shows_the_pairing_qr_code_on_the_computer(client, db):
    lan.current = lan.Lan("192.168.1.20", 8765, "studio.local", running=True)
    client.cookies["csrftoken"] = token = _get_new_csrf_string()
    client.post("/settings/phones/code", {"csrfmiddlewaretoken": token})
    page = client.get("/settings/phones").content.decode()
    code = pairing.live()
    assert code is not None
    assert f"https://192.168.1.20:8765/pair?code={code.value}" in page
    assert "<svg" in page and code.shown in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "style" not in svg and "script" not in svg


def test_it_never_serves_the_ca_key(client, db):
    paired(client)
    authority = ca.ensure_authority(keyring.current_key() or os.urandom(32), "test")
    der, pkcs8 = serialization.Encoding.DER, serialization.PrivateFormat.PKCS8
    secret = authority.key.private_bytes(der, pkcs8, serialization.NoEncryption())
    pages = [client.get(p) for p in ("/settings/phones", "/settings/phones/afterglow-root.crt")]
    pages += [lan_get(client, p) for p in ("/pair/afterglow-root.crt", "/pair", "/manifest.webmanifest", "/sw.js", "/offline")]
    for response in pages:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"PRIVATE KEY" not in body and secret not in body
    served = x509.load_der_x509_certificate(pages[1].content)
    assert served == authority.certificate


def test_it_refuses_a_host_that_is_not_this_computer_over_the_lan(client):
    response = client.get("/pair", secure=True, **{**OVER_LAN, "HTTP_HOST": "elsewhere.example"})
    assert response.status_code == 400


def test_it_describes_an_installable_app_for_the_whole_site(client):
    paired(client)
    manifest = lan_get(client, "/manifest.webmanifest").json()
    assert manifest["scope"] == "/" and manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert any(icon["sizes"] == "512x512" for icon in manifest["icons"])
    worker = lan_get(client, "/sw.js")
    assert worker["Content-Type"].startswith("text/javascript") and worker["Cache-Control"] == "no-cache"


def test_it_has_no_phones_page_on_a_clinic_server(client, db, settings):
    settings.CLINIC = True
    assert client.get("/settings/phones").status_code == 404
