"""`afterglow backup -o`: never over the journal's own files, never over a file unless asked, only to a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.vault.conftest import all_bytes_under, export, ok, run


def refused(result, words: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert words in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("name", ["keys.json", "journal.db", "config.toml", "journal.db-wal", "new-file.db"])
def test_it_never_writes_a_backup_into_the_data_folder(home: Path, name: str):
    (home / "config.toml").write_text("region = 'GB'\n")
    before = all_bytes_under(home)

    refused(run(home, "backup", "-o", str(home / name)), "inside Afterglow's data folder")
    refused(run(home, "backup", "-o", str(home / name), "--force"), "inside Afterglow's data folder")

    assert all_bytes_under(home) == before
    assert "the colours were warm and slow" in export(home)


def test_it_never_writes_over_a_backup_in_backups_even_with_force(home: Path):
    made = Path(ok(run(home, "backup")).split()[2])
    kept = made.read_bytes()
    refused(run(home, "backup", "-o", str(made), "--force"), "inside Afterglow's data folder")
    assert made.read_bytes() == kept


def test_it_refuses_the_data_folder_reached_through_a_symlink(home: Path, tmp_path: Path):
    (tmp_path / "elsewhere").symlink_to(home)
    keys = (home / "keys.json").read_bytes()
    refused(run(home, "backup", "-o", str(tmp_path / "elsewhere" / "keys.json"), "--force"), "inside Afterglow's data folder")
    (tmp_path / "link.db").symlink_to(home / "keys.json")
    refused(run(home, "backup", "-o", str(tmp_path / "link.db"), "--force"), "inside Afterglow's data folder")
    assert (home / "keys.json").read_bytes() == keys


def test_it_does_not_write_over_an_existing_file_unless_forced(home: Path, tmp_path: Path):
    thesis = tmp_path / "thesis.db"
    thesis.write_bytes(b"three years of work")
    refused(run(home, "backup", "-o", str(thesis)), "already exists")
    assert thesis.read_bytes() == b"three years of work"

    ok(run(home, "backup", "-o", str(thesis), "--force"))
    assert thesis.read_bytes().startswith(b"three") is False and (tmp_path / "thesis.keys.json").is_file()


def test_it_does_not_write_over_an_existing_keys_file_beside_the_target(home: Path, tmp_path: Path):
    (tmp_path / "b.keys.json").write_text("someone's notes")
    refused(run(home, "backup", "-o", str(tmp_path / "b.db")), "already exists")
    assert not (tmp_path / "b.db").exists() and (tmp_path / "b.keys.json").read_text() == "someone's notes"


@pytest.mark.parametrize("target", ["/dev/null", "/dev/zero"])
def test_it_refuses_devices_even_with_force(home: Path, target: str):
    before = os.stat(target)
    refused(run(home, "backup", "-o", target, "--force"), "not a regular file")
    after = os.stat(target)
    assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)


def test_it_refuses_a_pipe(home: Path, tmp_path: Path):
    os.mkfifo(tmp_path / "pipe")
    refused(run(home, "backup", "-o", str(tmp_path / "pipe"), "--force"), "not a regular file")


def test_it_refuses_a_folder_that_does_not_exist(home: Path, tmp_path: Path):
    refused(run(home, "backup", "-o", str(tmp_path / "no" / "such" / "b.db")), "There is no folder")
    assert not (tmp_path / "no").exists()


def test_a_folder_that_takes_no_files_is_refused_in_one_line_with_status_2(home: Path):
    refused(run(home, "backup", "-o", "/proc/x.db"), "cannot make a file in /proc")


def test_it_names_the_backup_itself_when_given_an_existing_folder(home: Path, tmp_path: Path):
    out = ok(run(home, "backup", "-o", str(tmp_path)))
    (made,) = tmp_path.glob("journal-*.db")
    assert made.name in out and (tmp_path / made.name.replace(".db", ".keys.json")).is_file()
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*"))
