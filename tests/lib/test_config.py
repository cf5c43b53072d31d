"""config.toml is read again whenever the file changes (it is kept between reads otherwise)."""

from __future__ import annotations

from afterglow.lib import config


def test_it_sees_a_hand_edit_of_the_preferences_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[display]\ntheme = "dark"\n', encoding="utf-8")
    assert config.get(path, "display", "theme") == "dark"
    path.write_text('[display]\ntheme = "light"\n', encoding="utf-8")  # in place, as an editor may
    assert config.get(path, "display", "theme") == "light"


def test_it_sees_an_update_and_a_removal(tmp_path):
    path = tmp_path / "config.toml"
    config.update(path, "safety", {"region": "GB"})
    assert config.get(path, "safety", "region") == "GB"
    config.update(path, "safety", {"region": "IE"})
    assert config.get(path, "safety", "region") == "IE"
    path.unlink()
    assert config.read(path) == {}


def test_changing_what_was_read_changes_nothing_kept(tmp_path):
    path = tmp_path / "config.toml"
    config.update(path, "privacy", {"idle_minutes": 15})
    config.read(path)["privacy"]["idle_minutes"] = 120
    assert config.get(path, "privacy", "idle_minutes") == 15
