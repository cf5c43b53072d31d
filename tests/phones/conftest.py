from __future__ import annotations

import pytest

from afterglow.lib.net import LAN_ENVIRON_KEY

LAN_HOST = "192.168.1.20"
# What the `serve --lan` listener puts in every request it passes on (a client cannot set it).
OVER_LAN = {LAN_ENVIRON_KEY: True, "HTTP_HOST": LAN_HOST}


@pytest.fixture(autouse=True)
def phone_home(settings, tmp_path):
    """Each test has its own phones folder, no live pairing code, and a fresh guess count."""
    from afterglow.phones import devices, lan

    settings.HOME = tmp_path
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, LAN_HOST]
    devices.pairing.end()
    devices.pairing.throttle.succeeded()
    lan.current = None
    yield tmp_path
    devices.pairing.end()
    devices.pairing.throttle.succeeded()
    lan.current = None
