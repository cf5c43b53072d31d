from __future__ import annotations

import json

import pytest

from afterglow.phones import devices
from afterglow.phones.devices import Pairing, PairingRefused, registry


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_it_accepts_a_pairing_code_once():
    pairing = Pairing(Clock())
    code = pairing.new_code()
    pairing.redeem(code.shown.lower())  # as typed on a phone: lower case, with the dash
    with pytest.raises(PairingRefused):
        pairing.redeem(code.value)


def test_it_refuses_a_code_after_five_minutes():
    clock = Clock()
    pairing = Pairing(clock)
    code = pairing.new_code()
    clock.now += 5 * 60
    with pytest.raises(PairingRefused):
        pairing.redeem(code.value)
    assert pairing.live() is None


def test_it_makes_guesses_wait_after_a_few_misses():
    clock = Clock()
    pairing = Pairing(clock)
    code = pairing.new_code()
    statuses = []
    for _ in range(4):
        with pytest.raises(PairingRefused) as refused:
            pairing.redeem("WRONGONE")
        statuses.append(refused.value.status)
    assert statuses == [400, 400, 400, 429]
    with pytest.raises(PairingRefused) as waiting:
        pairing.redeem(code.value)  # even the right code waits its turn
    assert waiting.value.status == 429 and "wait" in str(waiting.value)
    clock.now += 61
    pairing.redeem(code.value)


def test_it_ends_a_code_after_ten_wrong_guesses():
    clock = Clock()
    pairing = Pairing(clock)
    code = pairing.new_code()
    for _ in range(devices.MISSES_PER_CODE):
        clock.now += 61  # past any wait
        with pytest.raises(PairingRefused):
            pairing.redeem("WRONGONE")
    clock.now += 61
    with pytest.raises(PairingRefused):
        pairing.redeem(code.value)


def test_it_ends_the_old_code_when_a_new_one_is_made():
    pairing = Pairing(Clock())
    old = pairing.new_code()
    pairing.new_code()
    with pytest.raises(PairingRefused):
        pairing.redeem(old.value)


def test_it_keeps_only_a_hash_of_each_phones_cookie():
    device, token = registry.add("Sam's phone")
    stored = (devices.folder() / "devices.json").read_text()
    assert token not in stored and "Sam's phone" in stored
    assert registry.find(token) == device
    assert registry.find(token + "x") is None and registry.find(None) is None


def test_it_forgets_a_revoked_phone_at_once():
    device, token = registry.add("Sam's phone")
    assert registry.revoke(device.id)
    assert registry.find(token) is None
    assert not registry.revoke(device.id)


def test_it_pairs_no_phone_from_a_damaged_devices_file():
    _device, token = registry.add("Sam's phone")
    path = devices.folder() / "devices.json"
    doc = json.loads(path.read_text())
    doc["devices"][0].pop("token_sha256")
    path.write_text(json.dumps(doc) + " ")
    assert registry.find(token) is None


def test_it_asks_for_a_name_for_the_phone():
    with pytest.raises(PairingRefused):
        devices.clean_name("   ")
    assert devices.clean_name("  Sam's   phone ") == "Sam's phone"
