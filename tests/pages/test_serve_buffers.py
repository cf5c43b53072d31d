"""The local server keeps request and response bodies in memory: a voice note never touches a temp file."""

from __future__ import annotations

import http.client
import tempfile
import threading

import pytest
from waitress import create_server

from afterglow.pages.management.commands.serve import _in_memory

BODY = b"private audio bytes " * 150_000  # 3 MB: past waitress's 512 KB / 1 MB spool thresholds


def _echo(environ, start_response):
    data = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(data)))])
    return [data]


def _temp_files_while_echoing(monkeypatch, **adjustments) -> int:
    opened = []
    real = tempfile.TemporaryFile

    def spy(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", spy)
    server = create_server(_echo, host="127.0.0.1", port=0, threads=1, **adjustments)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=30)
        conn.request("POST", "/", body=BODY)
        assert conn.getresponse().read() == BODY
        conn.close()
    finally:
        server.close()
    return len(opened)


def test_waitress_would_spool_a_large_body_to_a_temp_file_by_default(monkeypatch):
    assert _temp_files_while_echoing(monkeypatch) > 0


def test_afterglow_serve_keeps_large_bodies_in_memory(monkeypatch):
    assert _temp_files_while_echoing(monkeypatch, **_in_memory()) == 0


@pytest.mark.parametrize("name", ["inbuf_overflow", "outbuf_overflow", "max_request_body_size"])
def test_the_in_memory_limit_covers_the_largest_allowed_upload(settings, name):
    assert _in_memory()[name] > settings.MEDIA_MAX_UPLOAD_BYTES
