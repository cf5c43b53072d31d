"""The clinic run really is on PostgreSQL, in a cluster nobody else can reach."""

from __future__ import annotations

import os
import stat

import pytest
from django.conf import settings
from django.db import connection

from afterglow.journal.models import Entry

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]


def test_it_runs_on_postgresql_15_or_newer():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000


def test_it_listens_on_a_socket_in_its_own_folder_and_no_tcp_port():
    host = settings.DATABASES["default"]["HOST"]
    assert host.startswith("/") and os.path.exists(os.path.join(host, ".s.PGSQL.5432"))
    with connection.cursor() as cur:
        cur.execute("SHOW listen_addresses")
        assert cur.fetchone()[0] == ""
    assert not stat.S_IMODE(os.stat(host).st_mode) & 0o007


def test_each_test_starts_with_an_empty_journal_table_a(django_user_model):
    owner = django_user_model.objects.create(username="first")
    Entry.objects.create(owner=owner, text="left behind?")
    assert Entry.objects.count() == 1


def test_each_test_starts_with_an_empty_journal_table_b():
    assert Entry.objects.count() == 0
