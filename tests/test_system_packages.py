"""`make test` on a fresh machine: install the packages the tests drive, or say in one line how to."""

from __future__ import annotations

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "ensure-system-packages"


def fake(bin_dir: Path, name: str, body: str) -> None:
    tool = bin_dir / name
    tool.write_text(f"#!/bin/sh\n{body}\n")
    tool.chmod(0o755)


def machine(tmp_path: Path, *, uid: int, apt: bool = True, present: tuple[str, ...] = ()) -> Path:
    """A PATH with only the given tools: `id` says `uid`, dpkg knows no package, apt-get logs its calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake(bin_dir, "id", f"echo {uid}")
    fake(bin_dir, "dpkg", "exit 1")
    if apt:
        fake(bin_dir, "apt-get", f'echo "$@" >> {tmp_path / "apt.log"}')
    for name in present:
        fake(bin_dir, name, "exit 0")
    return bin_dir


def run(bin_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/bash", str(SCRIPT)], env={"PATH": str(bin_dir)}, capture_output=True, text=True, timeout=30)


def test_without_root_it_stops_at_once_with_one_line_naming_the_packages_and_the_command(tmp_path):
    result = run(machine(tmp_path, uid=1000, present=("pdftoppm",)))
    assert result.returncode != 0 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "chromium espeak-ng fonts-dejavu-core fonts-liberation2" in line and "poppler-utils" not in line
    assert "sudo apt-get install -y --no-install-recommends chromium espeak-ng" in line
    assert not (tmp_path / "apt.log").exists()


def test_as_root_it_installs_what_is_missing_with_apt(tmp_path):
    result = run(machine(tmp_path, uid=0, present=("chromium", "pdftoppm")))
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls[0] == "update -qq"
    assert calls[1] == (
        "install -y -qq --no-install-recommends espeak-ng fonts-dejavu-core fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0"
    )


def test_without_apt_it_names_the_packages_and_stops(tmp_path):
    result = run(machine(tmp_path, uid=0, apt=False))
    assert result.returncode != 0
    assert "chromium espeak-ng poppler-utils" in result.stderr and "your package manager" in result.stderr


def test_with_everything_there_it_says_nothing(tmp_path):
    bin_dir = machine(tmp_path, uid=1000, present=("chromium", "espeak-ng", "pdftoppm"))
    fake(bin_dir, "dpkg", "exit 0")
    result = run(bin_dir)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def run_without_postgresql(bin_dir: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/bash", str(SCRIPT)],
        env={"PATH": str(bin_dir), "AFTERGLOW_PG_LIB": str(tmp_path / "no-postgresql"), **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_as_root_it_installs_postgresql_for_the_clinic_tests(tmp_path):
    bin_dir = machine(tmp_path, uid=0, present=("chromium", "espeak-ng", "pdftoppm"))
    result = run_without_postgresql(bin_dir, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "apt.log").read_text().splitlines()[1].endswith("libpangoft2-1.0-0 postgresql")


def test_without_root_postgresql_is_not_required_except_on_ci(tmp_path):
    bin_dir = machine(tmp_path, uid=1000, present=("chromium", "espeak-ng", "pdftoppm"))
    assert "postgresql" not in run_without_postgresql(bin_dir, tmp_path).stderr
    assert "postgresql" in run_without_postgresql(bin_dir, tmp_path, CI="1").stderr
