"""Which addresses are this computer (framework-free).

Until phones are paired over HTTPS, the local app serves its journal to this
computer only. The rule looks at the socket peer, never at a header a client
can write.
"""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def is_loopback_address(address: str | None) -> bool:
    """Whether a peer address (REMOTE_ADDR) is on this computer's loopback interface."""
    if address in ("127.0.0.1", "::1"):
        return True  # nearly every request: skip parsing
    if not address:
        return False
    text = address.strip().removeprefix("[").removesuffix("]").split("%", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool((mapped or ip).is_loopback)


def is_loopback_host(host: str) -> bool:
    """Whether `serve --host` names only this computer (0.0.0.0, a LAN address or a name do not)."""
    name = host.strip().lower().rstrip(".")
    return name in LOOPBACK_NAMES or is_loopback_address(name)


# Set in the WSGI environ by the `serve --lan` HTTPS listener on every request it passes on. No
# HTTP header can produce a key without the HTTP_ prefix, so a client cannot claim it.
LAN_ENVIRON_KEY = "afterglow.lan_listener"
