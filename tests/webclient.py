"""A real `afterglow serve` on a free port, and a small cookie-keeping client for it (no browser)."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type: `files` maps a field to (filename, type, bytes)."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    for name, (filename, kind, data) in files.items():
        disposition = f'form-data; name="{name}"; filename="{filename}"'
        head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: {kind}\r\n\r\n"
        parts.append(head.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> bytes:
        return self.opener.open(self.base + path, timeout=10).read()

    def token(self, path: str) -> str:
        """The CSRF token of the form on `path` (fetching it also sets the CSRF cookie)."""
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(path).decode()).group(1)

    def post(self, path: str, body: bytes, kind: str, timeout: float = 30) -> tuple[int, str, bytes]:
        """Status, final URL and body, sent as the page at `path` would send it."""
        request = urllib.request.Request(self.base + path, data=body, headers={"Content-Type": kind, "Referer": self.base + path})
        with self.opener.open(request, timeout=timeout) as response:
            return response.status, response.geturl(), response.read()


START_LINK = re.compile(r"(http://\S+/start/\S+)")


class Served(Client):
    """A client of a running `afterglow serve`, with what the server printed."""

    def __init__(self, base: str, output: Path) -> None:
        super().__init__(base)
        self.output_path = output

    def output(self) -> str:
        return self.output_path.read_text(errors="replace")

    def start_link(self, timeout: float = 30) -> str:
        """The one-time link `serve` printed (it started unlocked from AFTERGLOW_PASSPHRASE)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = START_LINK.search(self.output())
            if found:
                return found.group(1)
            time.sleep(0.05)
        raise AssertionError(f"serve printed no start link: {self.output()[-2000:]}")

    def let_in(self) -> None:
        """Open the start link, as the person who started `serve` would: this client is now in."""
        link = self.start_link()
        self.get(link.removeprefix(self.base))


@contextmanager
def serving(env: dict[str, str], *, host: str = "127.0.0.1", let_in: bool = True) -> Iterator[Served]:
    """`afterglow serve` with this environment, answering on /healthz, until the block ends.

    With AFTERGLOW_PASSPHRASE in `env` the client opens the start link first (`let_in=False`: a stranger).
    """
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="afterglow-serve-") as folder:
        output = Path(folder) / "serve.log"
        with output.open("wb") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "afterglow", "serve", "--no-browser", "--host", host, "--port", str(port)],
                env=env, stdout=log, stderr=log,
            )  # fmt: skip
        client = Served(f"http://127.0.0.1:{port}", output)
        try:
            for _ in range(300):
                try:
                    client.get("/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            if let_in and env.get("AFTERGLOW_PASSPHRASE"):
                client.let_in()
            yield client
        finally:
            server.terminate()
            server.wait(10)
