"""Started like a clinic would: variables checked at start, gunicorn with whitenoise, /healthz asking the database."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.db import OperationalError

from tests.clinic.processes import BIN, ROOT, clinic_env, free_port

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]


def afterglow(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "afterglow"), *args], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_deploy_check_is_clean_in_clinic_mode(tmp_path):
    done = afterglow(clinic_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"DATABASE_URL": None}, "DATABASE_URL is not set"),
        ({"DATABASE_URL": "mysql://me@db/afterglow"}, "DATABASE_URL must be a postgres:// URL"),
        ({"AFTERGLOW_SECRET_KEY": None}, "AFTERGLOW_SECRET_KEY is not set"),
        ({"AFTERGLOW_SECRET_KEY": "short"}, "AFTERGLOW_SECRET_KEY is too short"),
        ({"AFTERGLOW_ALLOWED_HOSTS": None}, "AFTERGLOW_ALLOWED_HOSTS is not set"),
        ({"AFTERGLOW_ALLOWED_HOSTS": "*"}, "is not a host name"),
        ({"AFTERGLOW_PROXY_SSL_HEADER": None}, "AFTERGLOW_PROXY_SSL_HEADER is not set"),
        ({"AFTERGLOW_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}, "is not a header name"),
    ],
)
def test_a_missing_or_wrong_variable_stops_it_with_one_line(tmp_path, changes, says):
    done = afterglow(clinic_env(tmp_path, **changes), "check", "--deploy")
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert says in line and "Traceback" not in done.stderr


def test_healthz_says_when_the_database_does_not_answer(client, monkeypatch):
    from afterglow.clinic import health

    assert client.get("/healthz").content == b"ok"

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"database unavailable: OperationalError"


def test_gunicorn_serves_the_clinic_with_static_files_and_a_health_check(tmp_path):
    env = clinic_env(tmp_path)
    assert afterglow(env, "collectstatic", "--noinput", "-v0").returncode == 0
    port = free_port()
    env.update(AFTERGLOW_BIND=f"127.0.0.1:{port}", AFTERGLOW_WEB_WORKERS="1")
    command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        health = _get(port, "/healthz")
        assert health == (200, b"ok")
        status, body = _get(port, "/static/css/app.css", https=True)
        assert status == 200 and body
        assert _get(port, "/", https=True)[0] == 302  # to the sign-in page
        assert _get(port, "/", https=False)[0] == 301  # plain HTTP past the proxy goes to HTTPS
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "/static/css/app.css" in output and "?" not in output.split("GET", 1)[1].split('"')[0]


def test_gunicorn_will_not_start_on_a_database_that_is_not_there(tmp_path):
    env = clinic_env(tmp_path, DATABASE_URL=f"postgres://afterglow@{str(tmp_path / 'none').replace('/', '%2F')}/afterglow")
    done = subprocess.run(
        [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "afterglow: cannot reach the database 'afterglow' named by DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr


def _get(port: int, path: str, *, https: bool = False) -> tuple[int, bytes]:
    headers = {"Host": "clinic.test", **({"X-Forwarded-Proto": "https"} if https else {})}
    opener = urllib.request.build_opener(_NoRedirect)
    for _ in range(100):
        try:
            with opener.open(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers), timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None
