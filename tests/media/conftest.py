"""Shared speech for the voice tests: generated once per test run."""

from __future__ import annotations

import pytest

from tests.media.speech import encode, speak

# `home`: a throw-away encrypted journal with session 1, for the CLI tests.
from tests.vault.conftest import _initialised_template, home  # noqa: F401


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory) -> bytes:
    return speak(tmp_path_factory.mktemp("speech") / "speech.wav").read_bytes()


@pytest.fixture(scope="session")
def speech_ogg(speech_wav: bytes) -> bytes:
    return encode(speech_wav, "ogg")
