"""Real `afterglow` processes: the product's own KDF cost, backups' keys after a passphrase change, re-key."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from afterglow.vault import crypto, keyfile, store
from afterglow.vault.errors import WrongPassphrase
from tests.vault.conftest import AFTERGLOW, PASSPHRASE, cli_env, ok, run

NEW = "fresh snow on the hill"


def product_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a person's own Afterglow: the product's settings, not the test settings."""
    env = cli_env(home)
    env.pop("DJANGO_SETTINGS_MODULE")
    return {**env, **extra}


def run_product(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([*AFTERGLOW, *args], env=product_env(home, **extra), capture_output=True, text=True, timeout=120)


def kdf(home: Path) -> tuple[int, int, int]:
    doc = json.loads((home / "keys.json").read_text())["kdf"]
    return doc["time_cost"], doc["memory_kib"], doc["parallelism"]


def data_key(keys_path: Path, passphrase: str = PASSPHRASE) -> bytes:
    return keyfile.load(keys_path).open_with_passphrase(passphrase)


FULL = (crypto.PARAMS.time_cost, crypto.PARAMS.memory_kib, crypto.PARAMS.parallelism)


def test_setting_afterglow_kdf_fast_does_not_weaken_a_real_journal(tmp_path: Path):
    home = tmp_path / "home"
    ok(run_product(home, "init", AFTERGLOW_KDF_FAST="1"))
    assert kdf(home) == FULL == (3, 65536, 4)


PRODUCT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; from afterglow.vault import keyfile;"
    "print(settings.PASSWORD_HASHERS[0]); print(keyfile.current_params())"
)


def test_the_product_settings_take_no_cheaper_hasher_or_kdf_from_the_environment(tmp_path: Path):
    env = product_env(
        tmp_path / "home", AFTERGLOW_TESTING="1", AFTERGLOW_KDF_FAST="1", DJANGO_SETTINGS_MODULE="afterglow.settings"
    )
    out = subprocess.run([sys.executable, "-c", PRODUCT_SETTINGS], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    hasher, params = out.stdout.splitlines()
    assert hasher.endswith("Argon2PasswordHasher") and params == repr(crypto.PARAMS)


def test_a_journal_made_with_a_weak_cost_is_strengthened_by_its_next_unlock(home: Path):
    assert kdf(home) == (1, 1024, 1)  # made by the test settings, as a journal tuned on a busy machine was weak
    recovery_before = json.loads((home / "keys.json").read_text())["recovery"]
    assert "the colours were warm" in ok(run_product(home, "list"))
    assert kdf(home) == FULL
    assert json.loads((home / "keys.json").read_text())["recovery"] == recovery_before
    assert "the colours were warm" in ok(run_product(home, "list"))  # and the same passphrase still opens it


def test_a_passphrase_change_moves_the_backups_keys_files_to_the_new_passphrase(home: Path):
    ok(run(home, "backup"))
    (backup_keys,) = (home / "backups").glob("*.keys.json")
    out = ok(run(home, "passphrase", "change", AFTERGLOW_NEW_PASSPHRASE=NEW))
    assert "1 backup in the backups folder now opens with the new passphrase" in out
    with pytest.raises(WrongPassphrase):
        data_key(backup_keys, PASSPHRASE)  # the old passphrase no longer opens the live journal's key through a backup
    assert data_key(backup_keys, NEW) == data_key(home / "keys.json", NEW)
    (backup_db,) = (home / "backups").glob("*.db")
    ok(run(home, "restore", str(backup_db), AFTERGLOW_PASSPHRASE=NEW))
    assert "the colours were warm" in ok(run(home, "list", AFTERGLOW_PASSPHRASE=NEW))


def test_a_foreign_keys_file_in_the_backups_folder_is_left_as_it_is(home: Path, foreign: Path):
    (home / "backups").mkdir()
    theirs = home / "backups" / "theirs.keys.json"
    theirs.write_bytes((foreign / "theirs.keys.json").read_bytes())
    out = ok(run(home, "passphrase", "change", AFTERGLOW_NEW_PASSPHRASE=NEW))
    assert "Left as they are (the old passphrase does not open them): theirs.keys.json" in out
    assert theirs.read_bytes() == (foreign / "theirs.keys.json").read_bytes()


def recovery_from(out: str) -> str:
    after = out.split("print it:")[1] if "print it:" in out else out.split("safe:")[1]
    return after.strip().splitlines()[0]


def test_rekey_encrypts_the_journal_under_a_new_key_and_only_the_new_secrets_open_it(tmp_path: Path):
    home = tmp_path / "home"
    old_recovery = recovery_from(ok(run(home, "init")))
    ok(run(home, "write", "written before the re-key"))
    ok(run(home, "backup"))
    old_key = data_key(home / "keys.json")

    out = ok(run(home, "passphrase", "rekey", AFTERGLOW_NEW_PASSPHRASE=NEW))
    new_recovery = recovery_from(out)
    new_key = data_key(home / "keys.json", NEW)
    assert new_key != old_key and new_recovery != old_recovery
    assert not store.opens(home / "journal.db", old_key) and store.opens(home / "journal.db", new_key)
    assert "previous" not in json.loads((home / "keys.json").read_text())
    assert run(home, "list").returncode == 2  # the old passphrase
    assert "written before the re-key" in ok(run(home, "list", AFTERGLOW_PASSPHRASE=NEW))
    wrong = run(home, "recover", AFTERGLOW_RECOVERY_KEY=old_recovery, AFTERGLOW_NEW_PASSPHRASE="another one entirely")
    assert wrong.returncode == 2 and "does not match" in wrong.stderr

    # The backup keeps its old data key; its keys file now answers to the new passphrase and recovery key only.
    (backup_keys,) = (home / "backups").glob("journal-*.keys.json")
    assert data_key(backup_keys, NEW) == old_key
    with pytest.raises(WrongPassphrase):
        data_key(backup_keys, PASSPHRASE)
    assert keyfile.load(backup_keys).open_with_recovery(new_recovery) == old_key
    assert "1 backup in the backups folder" in out and "old encryption key" in out


REKEY_THEN_STOP = """
import os, sys, django
django.setup()
from afterglow.vault import rekey, session
real = rekey._rekey_file
def stop_before(path, old, new):
    os._exit(9)
def stop_after(path, old, new):
    real(path, old, new)
    os._exit(9)
rekey._rekey_file = stop_before if sys.argv[1] == "before" else stop_after
session.rekey_journal(os.environ["AFTERGLOW_PASSPHRASE"], sys.argv[2])
"""


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_rekey_stopped_half_way_is_finished_by_the_next_unlock(home: Path, when: str):
    env = cli_env(home)
    stopped = subprocess.run([sys.executable, "-c", REKEY_THEN_STOP, when, NEW], env=env, capture_output=True, timeout=60)
    assert stopped.returncode == 9, stopped.stderr
    assert "previous" in json.loads((home / "keys.json").read_text())
    assert run(home, "list").returncode == 2  # the old passphrase opens nothing any more

    assert "the colours were warm and slow" in ok(run(home, "list", AFTERGLOW_PASSPHRASE=NEW))
    assert "previous" not in json.loads((home / "keys.json").read_text())
    assert store.opens(home / "journal.db", data_key(home / "keys.json", NEW))
