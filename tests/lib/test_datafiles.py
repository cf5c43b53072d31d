"""Every TOML data file is read and checked one way: a failure is one DataFileError naming the file."""

from __future__ import annotations

import pytest

from afterglow.lib.datafiles import DataFileError, load_toml
from afterglow.lib.errors import UserError
from afterglow.measures.instruments import InstrumentDataError, load_file
from afterglow.prompts.library import PackError, load_pack


def test_it_gives_the_checked_table(tmp_path):
    path = tmp_path / "lines.toml"
    path.write_text('default = "US"\n', encoding="utf-8")
    assert load_toml(path, lambda raw: raw["default"]) == "US"


def test_it_names_the_file_that_is_not_toml(tmp_path):
    path = tmp_path / "crisis.toml"
    path.write_text("default = \n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"^crisis\.toml: not valid TOML"):
        load_toml(path, dict)


def test_it_names_the_file_and_the_missing_key(tmp_path):
    path = tmp_path / "side_effects.toml"
    path.write_text("[kinds]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"^side_effects\.toml: 'effects' is missing$"):
        load_toml(path, lambda raw: raw["effects"])


def test_it_says_a_missing_file_in_words(tmp_path):
    with pytest.raises(DataFileError, match="there is no such file"):
        load_toml(tmp_path / "gone.toml", dict, max_bytes=100)


def test_it_refuses_a_file_over_its_limit(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text("a = 1\n" * 100, encoding="utf-8")
    with pytest.raises(DataFileError, match="too big here"):
        load_toml(path, dict, max_bytes=50, too_big=lambda size: "too big here")


def test_a_data_file_error_is_a_user_error_with_a_status():
    error = DataFileError("x.toml: no phrases")
    assert isinstance(error, UserError) and error.status == 500 and error.message == "x.toml: no phrases"


def test_the_named_loaders_raise_their_own_kind_through_the_one_helper(tmp_path):
    pack, instrument = tmp_path / "mine.toml", tmp_path / "phq.toml"
    pack.write_text("schema = \n", encoding="utf-8")
    instrument.write_text("schema = \n", encoding="utf-8")
    with pytest.raises(PackError, match=rf"^{pack}: not valid TOML"):
        load_pack(pack)
    with pytest.raises(InstrumentDataError, match=r"^phq\.toml: not valid TOML"):
        load_file(instrument)
