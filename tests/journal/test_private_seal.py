"""The sealing primitives of private entries (framework-free): what one key seals, only that key opens."""

from __future__ import annotations

import pytest

from afterglow.journal import private

RECORDING = b"RIFF\x00\x00WAVE" + bytes(range(256)) * 400  # binary, with every byte value


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes]:
    secret, public = private.new_key_pair()
    monkeypatch.setattr(private, "public_key_of", lambda owner_id: public if owner_id == 7 else None)
    return secret, public


def test_bytes_sealed_without_the_key_open_only_for_their_owner_and_context(keys):
    secret, _ = keys
    sealed = private.seal_blob(7, RECORDING, "picture 1")
    assert RECORDING[:40] not in sealed and sealed[:1] == b"1"
    assert private.open_blob(7, sealed, "picture 1") is None  # no key in this request
    with private.opening(7, secret):
        assert private.open_blob(7, memoryview(sealed), "picture 1") == RECORDING
        assert private.open_blob(7, sealed, "picture 2") is None  # moved onto another row
        assert private.open_blob(8, sealed, "picture 1") is None  # another patient's request
    other_secret, _ = private.new_key_pair()
    with private.opening(7, other_secret):
        assert private.open_blob(7, sealed, "picture 1") is None


def test_bytes_sealed_by_the_owners_own_request_use_the_quick_form_and_still_open_with_the_secret_alone(keys):
    secret, _ = keys
    with private.opening(7, secret):
        sealed = private.seal_blob(7, RECORDING, "recording 3")
    assert sealed[:1] == b"2"
    assert private.unseal_blob(secret, sealed, "recording 3") == RECORDING


def test_sealing_bytes_for_someone_without_a_key_pair_refuses_rather_than_storing_them_open(keys):
    with pytest.raises(private.Locked):
        private.seal_blob(8, RECORDING, "picture 1")
