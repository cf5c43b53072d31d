"""DATABASE_URL: read as libpq reads it, refused in one line when it cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from afterglow.modes import CLINIC_MODE


def database_from_url(url: str) -> dict[str, object]:
    return CLINIC_MODE.database(Path("unused"), url)


def test_it_reads_user_password_host_port_and_name():
    db = database_from_url("postgres://journal:s%40cret@db.clinic.test:6543/afterglow")
    got = (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"])
    assert got == ("journal", "s@cret", "db.clinic.test", "6543", "afterglow")


def test_it_takes_a_socket_folder_as_the_host():
    assert database_from_url("postgres://me@%2Frun%2Fpostgresql/afterglow")["HOST"] == "/run/postgresql"
    assert database_from_url("postgresql://me@/afterglow?host=/var/run/pg")["HOST"] == "/var/run/pg"


def test_it_keeps_an_ipv6_host_apart_from_its_port():
    db = database_from_url("postgres://me@[::1]:5433/afterglow")
    assert (db["HOST"], db["PORT"]) == ("::1", "5433")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("", "is not set"),
        ("mysql://me@host/db", "must be a postgres:// URL"),
        ("postgres://me@host", "names no database"),
        ("nonsense", "must be a postgres:// URL"),
    ],
)
def test_it_refuses_what_it_cannot_use_in_one_line(url, says):
    with pytest.raises(ValueError, match=says) as caught:
        database_from_url(url)
    assert "\n" not in str(caught.value) and "me@" not in str(caught.value)
