"""A paired phone's page time over `serve --lan` (cheroot + TLS) against this computer's (waitress).

Starts a real `afterglow serve --lan` on a fresh journal, pairs a "phone" and unlocks it over HTTPS,
then times GET /timeline: on a kept-alive connection each way, and with a new TLS connection per
request (what a phone pays after a pause). Prints median / p95 in ms and the load average.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import ssl
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import AFTERGLOW, BENCH_PASSPHRASE, afterglow_env, summary
from web_load import free_port

ROUNDS = 50


def _wait_for(log: Path, pattern: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text(errors="replace"))
        if found:
            return found.group(1)
        time.sleep(0.1)
    raise SystemExit(f"serve never printed {pattern!r}")


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise SystemExit(f"not found on the page: {pattern!r}")
    return match.group(1)


def _token(html: str) -> str:
    return _found(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def _post(opener: urllib.request.OpenerDirector, url: str, fields: dict[str, str]) -> str:
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(url))
    request = urllib.request.Request(url, urllib.parse.urlencode(fields).encode(), headers={"Origin": origin})
    return opener.open(request, timeout=30).read().decode()


def _cookie_header(jar: http.cookiejar.CookieJar) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _timed(connect: http.client.HTTPConnection, path: str, cookie: str) -> float:
    started = time.perf_counter()
    connect.request("GET", path, headers={"Cookie": cookie})
    response = connect.getresponse()
    response.read()
    assert response.status == 200, response.status
    return (time.perf_counter() - started) * 1000


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="afterglow-bench-phones-"))
    env = {**afterglow_env(home), "AFTERGLOW_PASSPHRASE": BENCH_PASSPHRASE}
    subprocess.run([str(AFTERGLOW), "init"], env=env, check=True, capture_output=True)
    port, lan_port = free_port(), free_port()
    log = home / "serve.log"
    lan = ["--lan", "--lan-address", "127.0.0.1", "--lan-port", str(lan_port)]
    with log.open("wb") as out:
        command = [str(AFTERGLOW), "serve", "--no-browser", "--port", str(port), *lan]
        server = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    try:
        start = _wait_for(log, r"(http://\S+/start/\S+)")
        _wait_for(log, r"pair at (https://\S+/)")
        desk_jar = http.cookiejar.CookieJar()
        desk = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(desk_jar))
        desk.open(start, timeout=30).read()
        page = desk.open(f"http://127.0.0.1:{port}/settings/phones", timeout=30).read().decode()
        _post(desk, f"http://127.0.0.1:{port}/settings/phones/code", {"csrfmiddlewaretoken": _token(page)})
        page = desk.open(f"http://127.0.0.1:{port}/settings/phones", timeout=30).read().decode()
        link = _found(r"data-pair-link>([^<]+)<", page).replace("&amp;", "&")

        root = json.loads((home / "phones" / "ca.json").read_text())["certificate"]
        trust = ssl.create_default_context(cadata=root)
        phone_jar = http.cookiejar.CookieJar()
        https = urllib.request.HTTPSHandler(context=trust)
        phone = urllib.request.build_opener(https, urllib.request.HTTPCookieProcessor(phone_jar))
        form = phone.open(link, timeout=30).read().decode()
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["code"][0]
        lan_base = f"https://127.0.0.1:{lan_port}"
        unlock = _post(phone, f"{lan_base}/pair", {"csrfmiddlewaretoken": _token(form), "code": code, "name": "bench phone"})
        _post(phone, f"{lan_base}/unlock", {"csrfmiddlewaretoken": _token(unlock), "passphrase": BENCH_PASSPHRASE, "next": "/"})

        here = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        there = http.client.HTTPSConnection("127.0.0.1", lan_port, context=trust, timeout=30)
        desk_cookie, phone_cookie = _cookie_header(desk_jar), _cookie_header(phone_jar)
        figures = {
            "this computer, waitress, kept alive": [_timed(here, "/timeline", desk_cookie) for _ in range(ROUNDS)],
            "phone, cheroot + TLS, kept alive": [_timed(there, "/timeline", phone_cookie) for _ in range(ROUNDS)],
            "phone, new TLS connection each time": [
                _timed(http.client.HTTPSConnection("127.0.0.1", lan_port, context=trust, timeout=30), "/timeline", phone_cookie)
                for _ in range(ROUNDS // 2)
            ],
        }
        for name, values in figures.items():
            s = summary(values)
            print(f"{name:40} median {s['median']:6.1f} ms  p95 {s['p95']:6.1f} ms  (n={s['n']})")
        print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
