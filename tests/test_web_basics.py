from __future__ import annotations


def test_it_answers_healthz_without_unlocking(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_it_sends_a_strict_csp_and_security_headers(client):
    response = client.get("/help")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_help_page_shows_988_and_911_for_the_us(client):
    body = client.get("/help").content.decode()
    assert "988" in body and "911" in body
    assert "care team" in body


def test_every_page_links_to_help(client):
    body = client.get("/").content.decode()
    assert 'href="/help"' in body


def test_an_unknown_page_gets_a_kind_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
