"""A damaged keys.json is named in one clear line, whatever the damage: never "something went wrong"."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from afterglow.vault import keyfile
from afterglow.vault.errors import KeysMissing
from tests.vault.conftest import PASSPHRASE, ok, run


def edit(change_in_place: Callable[[dict], Any]) -> Callable[[dict], dict]:
    def change(doc: dict) -> dict:
        doc = copy.deepcopy(doc)
        change_in_place(doc)
        return doc

    return change


def _set(section: str, name: str, value: Any) -> Callable[[dict], Any]:
    return edit(lambda d: d[section].__setitem__(name, value))


DAMAGE = [
    (lambda d: None, "it holds null instead of the keys"),
    (lambda d: [d], "it holds a list instead of the keys"),
    (lambda d: "keys", "it holds a string instead of the keys"),
    (lambda d: {}, "not an Afterglow keys file"),
    (edit(lambda d: d.pop("passphrase")), "'passphrase' part is missing"),
    (edit(lambda d: d.__setitem__("kdf", None)), "'kdf' part is missing"),
    (_set("kdf", "salt", "!!not base64!!"), "kdf salt is not valid base64"),
    (_set("kdf", "salt", 5), "kdf salt is missing"),
    (_set("passphrase", "nonce", "%%%"), "passphrase nonce is not valid base64"),
    (_set("recovery", "nonce", "AAAA"), "recovery nonce is not 12 bytes long"),
    (_set("passphrase", "ciphertext", "AAAA"), "passphrase ciphertext is too short"),
    (_set("kdf", "time_cost", 0), "kdf time_cost is missing or outside"),
    (_set("kdf", "memory_kib", 10**12), "kdf memory_kib is missing or outside"),
    (_set("kdf", "parallelism", "two"), "kdf parallelism is missing or outside"),
]


@pytest.fixture
def good_keys(home: Path) -> dict:
    return json.loads((home / "keys.json").read_text())


@pytest.mark.parametrize("damage, reason", DAMAGE)
def test_each_kind_of_damage_is_named(home: Path, good_keys: dict, damage, reason: str):
    path = home / "keys.json"
    path.write_text(json.dumps(damage(good_keys)))
    with pytest.raises(KeysMissing) as caught:
        keyfile.load(path)
    assert reason in str(caught.value) and "Restore keys.json from a backup" in str(caught.value)


def test_text_that_is_not_json_is_named(home: Path):
    path = home / "keys.json"
    path.write_bytes(b"\xff\xfe garbage {")
    with pytest.raises(KeysMissing, match="not readable JSON"):
        keyfile.load(path)


@pytest.mark.parametrize("content", ["null", "[]", '{"format": "afterglow-keys", "version": 1, "kdf": 3}'])
def test_the_cli_says_so_in_one_line_with_exit_2(home: Path, content: str):
    (home / "keys.json").write_text(content)
    result = run(home, "list")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "keys.json is damaged (" in lines[0] and "something went wrong" not in lines[0]


def test_the_good_file_still_opens(home: Path):
    ok(run(home, "list"))
    assert keyfile.load(home / "keys.json").open_with_passphrase(PASSPHRASE)


@pytest.mark.parametrize("make, reason", [
    (lambda p: p.symlink_to("/dev/zero"), "device or other special file"),
    (lambda p: p.write_bytes(b" " * 100_000), "far too large for a keys file"),
])  # fmt: skip
def test_a_device_or_huge_file_in_place_of_the_keys_is_named_not_read(home: Path, make, reason: str):
    path = home / "keys.json"
    path.unlink()
    make(path)
    with pytest.raises(KeysMissing, match=reason):
        keyfile.load(path)
