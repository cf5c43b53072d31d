"""Load the local web app: 20 concurrent loopback clients on the home page and the timeline.

    .venv/bin/python bench/web_load.py --size 100k [--clients 20] [--requests 1000] [--seconds 60]
        [--think 1] [--paths /,/timeline]

Starts `afterglow serve --no-browser` on a free 127.0.0.1 port against the
generated journal, unlocks it through /unlock when the vault asks (the same
form a person uses), then runs the clients (threads, one keep-alive
http.client connection each, only 127.0.0.1) until each path has had
`--requests` requests or `--seconds` have passed. Prints p50/p95 per path.

Two ways to read "20 concurrent clients", both measured by run.py:
closed loop (`--think 0`: each client sends its next request the moment the
last one answers, so the server is saturated and latency is 20 ÷ throughput)
and paced (`--think 1`: each client waits about a second between requests,
like people clicking, so latency shows service time under concurrency).
`--paths /healthz` with `--think 0` measures the floor of a closed loop: a
page that does no work.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AFTERGLOW, afterglow_env, home_for, ms, save_results, summary

HOST = "127.0.0.1"
PATHS = ("/", "/timeline")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, home: Path, port: int) -> None:
        self.port = port
        cmd = [str(AFTERGLOW), "serve", "--no-browser", "--host", HOST, "--port", str(port)]
        self.log = (home.parent / f"serve-{home.name}.log").open("wb")
        self.proc = subprocess.Popen(cmd, env=afterglow_env(home), stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"web_load: the server exited ({self.proc.returncode}); see {self.log.name}")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("web_load: the server did not answer /healthz in time")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def start_link(self) -> str | None:
        """The one-time link `serve` prints when AFTERGLOW_PASSPHRASE unlocked it at start (its path), if any."""
        self.log.flush()
        text = Path(self.log.name).read_text(encoding="utf-8", errors="replace")
        found = re.search(r"one-time link: (\S+)", text)
        return urlsplit(found.group(1)).path if found else None


def request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, list[str]], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        found: dict[str, list[str]] = {}
        for name, value in resp.getheaders():
            found.setdefault(name.lower(), []).append(value)
        return resp.status, found, resp.read()
    finally:
        conn.close()


class Jar:
    """Just enough of a cookie jar for one local site."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def take(self, headers: dict[str, list[str]]) -> None:
        for line in headers.get("set-cookie", []):
            name, _, value = line.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()

    def header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}


class FormFields(HTMLParser):
    """The inputs of the first form with a password field: their names and default values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}, "password": None})
        elif tag == "input" and self.forms and a.get("name"):
            form = self.forms[-1]
            if a.get("type") == "password" and form["password"] is None:
                form["password"] = a["name"]
            else:
                form["fields"][a["name"]] = a.get("value", "")


def unlock(port: int, jar: Jar, passphrase: str | None, start_link: str | None = None) -> None:
    """Open the start link `serve` printed, as the person's browser would; else fill in the unlock form like a person."""
    if start_link:
        status, headers, _ = request(port, "GET", start_link, headers=jar.header())
        jar.take(headers)
    status, headers, _ = request(port, "GET", "/", headers=jar.header())
    jar.take(headers)
    if status not in (301, 302, 303) or "unlock" not in headers.get("location", [""])[0]:
        return
    if not passphrase:
        raise SystemExit("web_load: the journal is locked; set AFTERGLOW_PASSPHRASE")
    path = urlsplit(headers["location"][0]).path or "/unlock"
    status, headers, body = request(port, "GET", path, headers=jar.header())
    jar.take(headers)
    parser = FormFields()
    parser.feed(body.decode("utf-8", errors="replace"))
    form = next((f for f in parser.forms if f["password"]), None)
    if form is None:
        raise SystemExit("web_load: /unlock has no passphrase field")
    data = urlencode(form["fields"] | {form["password"]: passphrase}).encode()
    headers_out = jar.header() | {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://{HOST}:{port}",
        "Referer": f"http://{HOST}:{port}{path}",
    }
    status, headers, _ = request(port, "POST", form["action"] or path, data, headers_out)
    jar.take(headers)
    if status not in (301, 302, 303) or request(port, "GET", "/", headers=jar.header())[0] != 200:
        raise SystemExit(f"web_load: unlocking through the form failed (status {status})")


class Load:
    """Clients as separate processes: in one process their own GIL would queue responses and add to the figures."""

    def __init__(
        self, port: int, jar: Jar, per_path: int, seconds: float, think: float = 0.0, paths: tuple[str, ...] = PATHS
    ) -> None:
        self.port, self.cookie, self.per_path, self.seconds, self.think = port, jar.header(), per_path, seconds, think
        self.paths = paths
        self.times: dict[str, list[float]] = {p: [] for p in paths}
        self.errors: list[str] = []
        self.bytes = dict.fromkeys(paths, 0)

    def run(self, clients: int) -> None:
        quota = -(-self.per_path * len(self.paths) // clients)  # each client's share of all requests, rounded up
        jobs = [(self.port, self.cookie, quota, self.seconds, self.think, i, self.paths) for i in range(clients)]
        with multiprocessing.get_context("fork").Pool(clients) as pool:
            for times, errors, sizes in pool.map(_client, jobs):
                for path in self.paths:
                    self.times[path] += times[path]
                    self.bytes[path] = sizes[path] or self.bytes[path]
                self.errors += errors


def _client(
    job: tuple[int, dict[str, str], int, float, float, int, tuple[str, ...]],
) -> tuple[dict[str, list[float]], list[str], dict[str, int]]:
    """One client: `quota` requests alternating between the paths, pausing `think` seconds (±50 %) between them."""
    port, cookie, quota, seconds, think, index, paths = job
    deadline = time.monotonic() + seconds
    times: dict[str, list[float]] = {p: [] for p in paths}
    sizes = dict.fromkeys(paths, 0)
    errors: list[str] = []
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    pause = random.Random(index)
    if think:
        time.sleep(pause.uniform(0, think))  # clients arrive spread out, not in lockstep
    for turn in range(index, index + quota):
        if time.monotonic() >= deadline:
            break
        path = paths[turn % len(paths)]
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=cookie)
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{path}: {exc!r}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            continue
        elapsed = time.perf_counter() - started
        if resp.status != 200:
            errors.append(f"{path}: HTTP {resp.status}")
        else:
            times[path].append(elapsed)
            sizes[path] = len(body)
        if think:
            time.sleep(think * pause.uniform(0.5, 1.5))
    conn.close()
    return times, errors, sizes


def check_pages(port: int, jar: Jar, paths: tuple[str, ...]) -> dict[str, str]:
    """Make sure each path answers 200 before loading it (and an HTML page is a page, not an error page)."""
    problems = {}
    for path in paths:
        status, headers, body = request(port, "GET", path, headers=jar.header())
        html = headers.get("content-type", [""])[0].startswith("text/html")
        if status != 200:
            problems[path] = f"HTTP {status}"
        elif html and not re.search(rb"<main", body):
            problems[path] = "200 but no <main> in the page"
    return problems


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000, help="per path")
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--think", type=float, default=0.0, help="seconds each client waits between requests (0: closed loop)")
    parser.add_argument("--name", default="web_load", help="results file name under bench/out/")
    parser.add_argument("--paths", default=",".join(PATHS), help="comma-separated; /healthz gives the server's floor")
    args = parser.parse_args(argv)
    paths = tuple(args.paths.split(","))
    home = home_for(args.size)
    if not (home / "journal.db").exists():
        sys.exit(f"web_load: no {args.size} journal yet; run bench/run.py (or generate.py) first")
    server = Server(home, free_port())
    try:
        server.wait_ready()
        jar = Jar()
        unlock(server.port, jar, os.environ.get("AFTERGLOW_PASSPHRASE"), server.start_link())
        problems = check_pages(server.port, jar, paths)
        if problems:
            result: dict[str, Any] = {"size": args.size, "error": "; ".join(f"{p} {m}" for p, m in problems.items())}
        else:
            warm = Load(server.port, jar, 20, 30, paths=paths)
            warm.run(4)
            load = Load(server.port, jar, args.requests, args.seconds, args.think, paths)
            started = time.monotonic()
            load.run(args.clients)
            wall = time.monotonic() - started
            result = {
                "size": args.size,
                "clients": args.clients,
                "think_seconds": args.think,
                "wall_seconds": wall,
                "errors": len(load.errors),
                "first_errors": load.errors[:5],
                "paths": {p: summary(t) | {"bytes": load.bytes[p]} for p, t in load.times.items() if t},
                "requests_per_second": sum(len(t) for t in load.times.values()) / wall,
            }
    finally:
        server.stop()
    print_result(result)
    save_results(args.name, result)
    return result


def print_result(result: dict[str, Any]) -> None:
    if "error" in result:
        print(f"\nweb ({result['size']}): not measured: {result['error']}")
        return
    pacing = f"each waiting ~{result['think_seconds']:g} s between requests" if result["think_seconds"] else "closed loop"
    print(
        f"\nweb ({result['size']} entries, {result['clients']} concurrent clients, {pacing}, "
        f"{result['requests_per_second']:.0f} req/s)"
    )
    for path, s in result["paths"].items():
        print(f"  GET {path:10} n={s['n']:5}  p50 {ms(s['median']):>10}  p95 {ms(s['p95']):>10}  ({s['bytes']:,} bytes)")
    if result["errors"]:
        print(f"  errors: {result['errors']} (first: {result['first_errors'][0]})")


if __name__ == "__main__":
    main(sys.argv[1:])
