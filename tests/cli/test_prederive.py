"""A CLI process derives its passphrase key before importing Django; the vault then uses that very key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from afterglow import cli_prederive
from afterglow.vault import crypto
from tests.vault.conftest import ok, run

PASSPHRASE = "a quiet lake at dawn"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("prederive") / "home"
    ok(run(home, "init", AFTERGLOW_PASSPHRASE=PASSPHRASE))
    return home


def _lock(home: Path) -> tuple[bytes, crypto.KdfParams]:
    kdf = json.loads((home / "keys.json").read_text())["kdf"]
    return crypto.unb64(kdf["salt"]), crypto.KdfParams(kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"])


def test_it_hands_the_vault_the_key_it_would_derive_once(home, monkeypatch):
    salt, params = _lock(home)
    expected = crypto.derive(PASSPHRASE, salt, params)
    monkeypatch.setenv("AFTERGLOW_PASSPHRASE", PASSPHRASE)
    assert cli_prederive.prepare(home)
    real = crypto.hash_secret_raw
    monkeypatch.setattr(crypto, "hash_secret_raw", lambda *a, **k: pytest.fail("derived a second time"))
    assert crypto.derive(PASSPHRASE, salt, params) == expected
    monkeypatch.setattr(crypto, "hash_secret_raw", real)
    assert not crypto._prepared  # handed out once, then forgotten


def test_it_prepares_nothing_for_an_unreadable_keys_file_or_no_passphrase(home, tmp_path, monkeypatch):
    monkeypatch.delenv("AFTERGLOW_PASSPHRASE", raising=False)
    assert not cli_prederive.prepare(home)
    monkeypatch.setenv("AFTERGLOW_PASSPHRASE", PASSPHRASE)
    (tmp_path / "keys.json").write_text('{"format": "afterglow-keys", "kdf": null}')
    assert not cli_prederive.prepare(tmp_path)
    assert not cli_prederive.prepare(tmp_path / "nowhere")
    assert not crypto._prepared


def test_a_wrong_passphrase_in_the_environment_is_still_refused_in_one_line(home):
    result = run(home, "list", AFTERGLOW_PASSPHRASE="not the passphrase at all")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
