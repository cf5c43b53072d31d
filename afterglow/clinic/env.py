"""Clinic mode's environment: each variable read, checked, and refused in one clear line when wrong.

Settings call these at start, so a server with a missing or wrong variable stops before it
serves anything (`afterglow.lib.env.BadEnvironment`, shown as one line by the CLI and by gunicorn).
"""

from __future__ import annotations

import os
import re

from afterglow.lib.env import BadEnvironment

MIN_SECRET_CHARS = 50
_HOST = re.compile(r"^\.?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$")
_HEADER = re.compile(r"^[A-Za-z0-9-]+$")


def secret_key() -> str:
    """AFTERGLOW_SECRET_KEY: signs sessions and invites; long and random, the same on every web worker."""
    key = os.environ.get("AFTERGLOW_SECRET_KEY", "").strip()
    if not key:
        raise BadEnvironment(
            "AFTERGLOW_SECRET_KEY is not set: clinic mode needs one long random value shared by every web worker "
            '(python3 -c "import secrets; print(secrets.token_urlsafe(50))")'
        )
    if len(key) < MIN_SECRET_CHARS or len(set(key)) < 5:
        raise BadEnvironment(f"AFTERGLOW_SECRET_KEY is too short or too plain: use at least {MIN_SECRET_CHARS} random characters")
    return key


def allowed_hosts() -> list[str]:
    """AFTERGLOW_ALLOWED_HOSTS: the clinic's host names, comma-separated (no '*': a Host header is never trusted blindly)."""
    raw = os.environ.get("AFTERGLOW_ALLOWED_HOSTS", "").strip()
    if not raw:
        raise BadEnvironment("AFTERGLOW_ALLOWED_HOSTS is not set: give the clinic's host name(s), e.g. journal.clinic.example")
    hosts = [h.strip() for h in raw.split(",") if h.strip()]
    for host in hosts:
        if not _HOST.match(host):
            raise BadEnvironment(f"AFTERGLOW_ALLOWED_HOSTS: {host!r} is not a host name (no '*', no scheme, no port)")
    return hosts


def proxy_ssl_header() -> tuple[str, str]:
    """AFTERGLOW_PROXY_SSL_HEADER: the header the TLS proxy sets to `https` (e.g. X-Forwarded-Proto).

    The proxy must also remove that header from what clients send; otherwise anyone could claim HTTPS.
    """
    raw = os.environ.get("AFTERGLOW_PROXY_SSL_HEADER", "").strip()
    if not raw:
        raise BadEnvironment(
            "AFTERGLOW_PROXY_SSL_HEADER is not set: name the header your TLS proxy sets to 'https' (usually X-Forwarded-Proto)"
        )
    if not _HEADER.match(raw):
        raise BadEnvironment(f"AFTERGLOW_PROXY_SSL_HEADER={raw!r} is not a header name such as X-Forwarded-Proto")
    return "HTTP_" + raw.upper().replace("-", "_"), "https"


def trusted_origins(hosts: list[str]) -> list[str]:
    """The HTTPS origins forms may come from: the allowed hosts ('.example.org' covers its subdomains)."""
    return [f"https://*{h}" if h.startswith(".") else f"https://{h}" for h in hosts]


def proxy_ips() -> list[str]:
    """AFTERGLOW_PROXY_IPS: the TLS proxy's addresses (127.0.0.1 and ::1 unless set), as gunicorn reads them too."""
    import ipaddress

    raw = os.environ.get("AFTERGLOW_PROXY_IPS", "127.0.0.1,::1")
    found = []
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        try:
            found.append(str(ipaddress.ip_address(part)))
        except ValueError:
            raise BadEnvironment(f"AFTERGLOW_PROXY_IPS: {part!r} is not an IP address") from None
    return found
