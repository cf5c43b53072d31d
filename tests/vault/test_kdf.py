"""Argon2id's cost is fixed (never timed), old weak key files are strengthened, passphrases are NFC."""

from __future__ import annotations

import itertools
import json
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from afterglow.vault import crypto, keyfile, session
from afterglow.vault.errors import KeysMissing, WrongPassphrase
from tests.vault.conftest import journal_file_for

pytestmark = pytest.mark.vault_locked

PASSPHRASE = "evening tide, slow and warm"
CAFE_NFC = unicodedata.normalize("NFC", "café au lait sous la pluie")
CAFE_NFD = unicodedata.normalize("NFD", CAFE_NFC)


@pytest.fixture
def home(settings, tmp_path: Path, db) -> Path:
    settings.HOME = tmp_path
    return tmp_path


@pytest.fixture
def full_cost(settings) -> None:
    """The product's own cost, as a person's Afterglow uses it (the test settings make it trivial)."""
    settings.VAULT_KDF_FAST_FOR_TESTS = False


def kdf_of(path: Path) -> dict[str, object]:
    return json.loads(path.read_text())["kdf"]


def test_the_fixed_cost_meets_rfc_9106_and_owasp():
    assert crypto.PARAMS.memory_kib >= 64 * 1024 and crypto.PARAMS.time_cost >= 3 and crypto.PARAMS.parallelism >= 1


def test_a_busy_machine_cannot_lower_the_cost_chosen_at_init(home, full_cost, monkeypatch):
    # Before, `init` timed Argon2id and a loaded computer got t=1 or 2. Now nothing is timed:
    # a clock that says every run took ten seconds, and one CPU, change nothing.
    ticks = itertools.count(step=10.0)
    monkeypatch.setattr("time.perf_counter", lambda: next(ticks))
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    used: list[crypto.KdfParams] = []
    monkeypatch.setattr(crypto, "derive", lambda p, salt, params: used.append(params) or b"k" * 32)
    keys, _, _ = keyfile.create(PASSPHRASE)
    assert keys.params == crypto.PARAMS and used == [crypto.PARAMS]


def test_init_writes_the_fixed_cost_into_keys_json(home, full_cost):
    keys, _, _ = keyfile.create(PASSPHRASE)
    keyfile.save(keys)
    kdf = kdf_of(home / "keys.json")
    assert (kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"]) == (3, 65536, 4)


def test_an_old_weak_keys_file_is_strengthened_on_the_next_unlock_and_its_backups_too(home, settings):
    keys, data_key, _ = keyfile.create(PASSPHRASE)  # the test settings' trivial cost: t=1, 1 MiB
    keyfile.save(keys)
    journal_file_for(data_key)
    (home / "backups").mkdir(exist_ok=True)
    shutil.copyfile(home / "journal.db", home / "backups" / "journal-2026-01-02-030405.db")  # a backup has its file
    keyfile.save(keys, home / "backups" / "journal-2026-01-02-030405.keys.json")
    settings.VAULT_KDF_FAST_FOR_TESTS = False

    session.unlock(PASSPHRASE, migrate=False)

    upgraded = keyfile.load()
    assert upgraded.params == crypto.PARAMS and upgraded.salt != keys.salt
    assert upgraded.by_recovery == keys.by_recovery  # re-wrapped only: the recovery key is untouched
    assert upgraded.open_with_passphrase(PASSPHRASE) == data_key
    assert keyfile.load(home / "backups" / "journal-2026-01-02-030405.keys.json").params == crypto.PARAMS


def test_a_keys_file_at_the_current_cost_is_left_alone_on_unlock(home):
    keys, data_key, _ = keyfile.create(PASSPHRASE)
    keyfile.save(keys)
    journal_file_for(data_key)
    before = (home / "keys.json").read_bytes()
    session.unlock(PASSPHRASE, migrate=False)
    assert (home / "keys.json").read_bytes() == before


def test_a_passphrase_typed_in_another_normal_form_opens_the_journal(home):
    keys, data_key, _ = keyfile.create(CAFE_NFD)  # é as e + combining accent
    assert CAFE_NFC != CAFE_NFD
    assert keys.open_with_passphrase(CAFE_NFC) == data_key  # é as one code point
    assert keys.open_with_passphrase(CAFE_NFD) == data_key
    with pytest.raises(WrongPassphrase):
        keys.open_with_passphrase("cafe au lait sous la pluie")


def old_style(passphrase: str) -> tuple[keyfile.KeyFile, bytes]:
    """A key file written before NFC: the passphrase's code points used exactly as typed."""
    keys, data_key, _ = keyfile.create("placeholder words")
    kek = crypto.derive(passphrase, keys.salt, keys.params)
    return replace(keys, by_passphrase=crypto.wrap(kek, data_key, keyfile.PASSPHRASE_PURPOSE)), data_key


@pytest.mark.parametrize("typed", [CAFE_NFD, CAFE_NFC])
def test_a_journal_made_with_a_decomposed_passphrase_opens_and_is_rewrapped_under_nfc(home, typed):
    keys, data_key = old_style(CAFE_NFD)
    keyfile.save(keys)
    journal_file_for(data_key)
    session.unlock(typed, migrate=False)
    rewrapped = keyfile.load()
    nfc_kek = crypto.derive(CAFE_NFC, rewrapped.salt, rewrapped.params)
    assert crypto.unwrap(nfc_kek, rewrapped.by_passphrase, keyfile.PASSPHRASE_PURPOSE) == data_key


def test_a_new_passphrase_and_its_repetition_may_differ_in_normal_form_only():
    session.check_new_passphrase(CAFE_NFC, CAFE_NFD)
    with pytest.raises(Exception, match="not the same"):
        session.check_new_passphrase(CAFE_NFC, CAFE_NFC + "!")


def test_raising_an_old_cost_never_lowers_its_work():
    floor = crypto.PARAMS
    busy = crypto.KdfParams(time_cost=2, memory_kib=32 * 1024, parallelism=2)  # tuned while the machine was busy
    quiet = crypto.KdfParams(time_cost=19, memory_kib=32 * 1024, parallelism=2)  # tuned on a quiet one
    assert busy.weaker_than(floor) and quiet.weaker_than(floor) and not floor.weaker_than(floor)
    assert crypto.raised(busy, floor) == floor
    up = crypto.raised(quiet, floor)
    assert up.memory_kib == 64 * 1024 and up.time_cost * up.memory_kib >= quiet.time_cost * quiet.memory_kib
    assert up.time_cost == 10 and up.parallelism == floor.parallelism


def test_a_keys_file_from_before_still_loads_and_counts_its_recovery_key_as_kept(home):
    keys, data_key, _ = keyfile.create(PASSPHRASE)
    doc = json.loads(keys.to_json())
    doc["kdf"]["seconds"] = 0.239  # written by the timing versions
    del doc["recovery"]["confirmed"]
    (home / "keys.json").write_text(json.dumps(doc))
    old = keyfile.load()
    assert old.recovery_confirmed and old.previous is None and old.open_with_passphrase(PASSPHRASE) == data_key


def test_a_keys_file_asking_for_absurd_argon2_settings_is_called_damaged(home):
    keys, _, _ = keyfile.create(PASSPHRASE)
    doc = json.loads(keys.to_json())
    doc["kdf"]["memory_kib"] = 100 * 1024 * 1024  # 100 GiB
    (home / "keys.json").write_text(json.dumps(doc))
    with pytest.raises(KeysMissing, match="damaged"):
        keyfile.load()
