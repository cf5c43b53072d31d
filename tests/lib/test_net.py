"""The loopback rule: which peers and hosts are this computer."""

from __future__ import annotations

import pytest

from afterglow.lib.net import is_loopback_address, is_loopback_host


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1"])
def test_it_takes_loopback_peers_as_this_computer(address):
    assert is_loopback_address(address)


@pytest.mark.parametrize("address", ["192.0.2.2", "10.0.0.5", "fd00::2", "::ffff:192.0.2.2", "0.0.0.0", "", None, "localhost"])
def test_it_takes_every_other_peer_as_another_device(address):
    assert not is_loopback_address(address)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST.", "::1", "[::1]"])
def test_a_loopback_host_needs_no_warning(host):
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.2", "myhost.lan", ""])
def test_a_host_reachable_from_the_network_is_not_loopback(host):
    assert not is_loopback_host(host)
