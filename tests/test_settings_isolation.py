"""The test suite never opens the person's real data folder."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from platformdirs import user_data_dir


def test_the_suite_keeps_its_journal_in_a_throw_away_folder_not_the_real_one():
    assert Path(settings.HOME).resolve() != Path(user_data_dir("Afterglow", appauthor=False)).resolve()
    assert Path(settings.HOME).name.startswith("afterglow-test-home-")
