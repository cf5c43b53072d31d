"""The local app answers other devices with one refusal page, whatever Host they claim."""

from __future__ import annotations


def test_it_refuses_a_peer_that_is_not_this_computer(client, patient):
    response = client.get("/timeline", REMOTE_ADDR="192.0.2.2", HTTP_HOST="127.0.0.1:8765")
    assert response.status_code == 403
    assert b"only opens on this computer" in response.content
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_it_refuses_static_files_and_vault_pages_to_other_devices_too(client):
    for path in ("/static/css/app.css", "/unlock", "/help"):
        assert client.get(path, REMOTE_ADDR="fd00::2").status_code == 403, path


def test_it_keeps_the_health_check_open_and_serves_loopback_peers(client, patient):
    assert client.get("/healthz", REMOTE_ADDR="192.0.2.2").status_code == 200
    assert client.get("/timeline", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/timeline", REMOTE_ADDR="::1").status_code == 200


def test_clinic_mode_leaves_peers_to_its_proxy(client, settings):
    settings.CLINIC = True
    assert client.get("/healthz", REMOTE_ADDR="192.0.2.2").status_code == 200
    assert client.get("/help", REMOTE_ADDR="192.0.2.2").status_code != 403
