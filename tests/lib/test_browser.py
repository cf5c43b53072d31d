"""A secret link reaches the browser through a private page, never through a command line."""

from __future__ import annotations

import stat

from afterglow.lib.browser import PREFIX, open_privately, remove_leftovers

LINK = "http://127.0.0.1:8765/start/s3cret-token"


def test_the_browser_is_given_a_private_file_not_the_secret(tmp_path):
    given: list[str] = []
    page = open_privately(LINK, tmp_path, opener=given.append)
    assert given == [page.as_uri()] and "s3cret" not in given[0]
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert f'content="0;url={LINK}"' in page.read_text()


def test_pages_left_by_a_stopped_server_are_removed(tmp_path):
    (tmp_path / f"{PREFIX}abc.html").write_text("old")
    (tmp_path / "journal.db").write_text("kept")
    remove_leftovers(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["journal.db"]
