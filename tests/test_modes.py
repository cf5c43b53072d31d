"""The mode object: the one place that answers what differs between local and clinic mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from afterglow import modes
from afterglow.vault import keyring, session
from tests.settings_test import program_env

AFTERGLOW = Path(sys.executable).with_name("afterglow")


def test_it_takes_the_mode_from_the_setting(settings):
    assert modes.current() is modes.LOCAL_MODE
    settings.CLINIC = True
    assert modes.current() is modes.CLINIC_MODE


def test_it_reads_the_two_mode_names_and_takes_unset_as_local():
    assert modes.named("clinic").clinic and modes.named(" Clinic ").clinic
    assert not modes.named("local").clinic and not modes.named("").clinic


@pytest.mark.parametrize("name", ["clinc", "server", "1"])
def test_it_refuses_a_mode_name_it_does_not_know(name: str):
    from afterglow.lib.env import BadEnvironment

    with pytest.raises(BadEnvironment, match="use local or clinic"):
        modes.named(name)


def test_local_mode_keeps_the_key_the_worker_and_the_peers_to_this_computer():
    local = modes.LOCAL_MODE
    assert local.unlocks_in_process and local.runs_worker_in_process and local.serves_this_computer_only


def test_clinic_mode_leaves_the_worker_and_the_peers_to_other_processes():
    clinic = modes.CLINIC_MODE
    assert not clinic.unlocks_in_process and not clinic.runs_worker_in_process and not clinic.serves_this_computer_only


def test_local_mode_opens_the_encrypted_journal_file_in_the_data_folder(tmp_path: Path):
    database = modes.LOCAL_MODE.database(tmp_path, "postgres://ignored/db")
    assert database["ENGINE"] == "afterglow.vault.backend" and database["NAME"] == str(tmp_path / "journal.db")


def test_clinic_mode_opens_the_database_its_url_names(tmp_path: Path):
    database = modes.CLINIC_MODE.database(tmp_path, "postgres://ana:s%40lt@db.clinic:5433/afterglow")
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"], database["HOST"], database["PORT"]) == (
        "afterglow", "ana", "s@lt", "db.clinic", "5433",
    )  # fmt: skip
    with pytest.raises(ValueError, match="DATABASE_URL"):
        modes.CLINIC_MODE.database(tmp_path, "sqlite:///journal.db")


def _request(user=None):
    request = RequestFactory().get("/")
    request.session = {}
    request.user = user or AnonymousUser()
    return request


def test_local_journal_is_open_only_to_the_browser_it_was_unlocked_for(db):
    local = modes.LOCAL_MODE
    assert local.journal_open() and local.journal_open(_request())  # the test fixture's key, no browser token yet
    mine, theirs = _request(), _request()
    session.bind(mine)
    assert local.journal_open(mine) and not local.journal_open(theirs)
    session.lock()
    assert not local.journal_open() and not local.journal_open(mine)
    assert local.unlocked_with() is None


def test_local_mode_notices_a_new_unlock():
    before = modes.LOCAL_MODE.unlocked_with()
    keyring.remember(b"k" * 32)
    assert modes.LOCAL_MODE.unlocked_with() is not before


def test_clinic_journal_is_open_to_people_who_signed_in(db):
    person = get_user_model().objects.create(username="ana")
    clinic = modes.CLINIC_MODE
    assert clinic.journal_open() and clinic.journal_open(_request(person))
    assert not clinic.journal_open(_request())


def test_local_patient_is_the_one_account_of_this_computer(db):
    me = modes.LOCAL_MODE.patient(_request())
    assert me.get_username() == modes.LOCAL_USERNAME and modes.LOCAL_MODE.patient(_request()).pk == me.pk


def test_clinic_patient_is_the_person_signed_in_and_nobody_before(db):
    person = get_user_model().objects.create(username="ana")
    assert modes.CLINIC_MODE.patient(_request(person)) == person
    with pytest.raises(PermissionDenied):
        modes.CLINIC_MODE.patient(_request())


def test_before_the_vault_is_known_nothing_is_open(monkeypatch):
    monkeypatch.setattr(modes, "_vault", modes._NoVault())
    assert not modes.LOCAL_MODE.journal_open() and not modes.LOCAL_MODE.journal_open(_request())


def test_clinic_mode_refuses_a_journal_page_to_someone_not_signed_in(client, settings):
    settings.CLINIC = True
    assert client.get("/timeline")["Location"] == "/login?next=%2Ftimeline"  # sign in first (tests/clinic)
    assert client.get("/help").status_code == 200


def test_a_clinic_database_url_of_another_kind_stops_the_program_in_one_line(tmp_path: Path):
    env = dict(os.environ, AFTERGLOW_HOME=str(tmp_path), AFTERGLOW_MODE="clinic", DATABASE_URL="mysql://ana:hunter2@db/x")
    result = subprocess.run([AFTERGLOW, "migrate"], env=program_env(env), capture_output=True, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2 and err.count("\n") == 1 and "DATABASE_URL must be a postgres:// URL" in err
    assert "hunter2" not in err and "Traceback" not in err


@pytest.mark.parametrize("verb", ["list", "serve"])
def test_it_refuses_a_misspelt_mode_at_start_in_one_line(tmp_path: Path, verb: str):
    env = dict(os.environ, AFTERGLOW_HOME=str(tmp_path), AFTERGLOW_MODE="clinc")
    result = subprocess.run([AFTERGLOW, verb], env=program_env(env), capture_output=True, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2 and err.count("\n") == 1 and "AFTERGLOW_MODE='clinc'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "secret_key").exists()  # nothing of a local journal was started
