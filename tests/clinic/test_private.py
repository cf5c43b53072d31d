"""Private entries on the clinic's server: sealed in PostgreSQL, open only to their patient (issue 19 item 4)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import uuid
import zipfile
from typing import Any

import pytest
from django.db import connection

from afterglow.care.models import Category
from afterglow.clinic import accounts
from afterglow.clinic.devcluster import server_bin
from afterglow.clinic.models import Invite, Role
from afterglow.insights import themes
from afterglow.journal import keyring as rings
from afterglow.journal.entries import create_entry
from afterglow.journal.models import Entry, EntryRevision, PrivateKeyring
from afterglow.journal.private import opening
from afterglow.trash import bin as trash
from tests.clinic.people import PASSWORD, browser, member, post, recovery, signed_in
from tests.journal.course_factories import course, days_ago

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

SECRET = "Zephyrquill"  # only ever written in private entries
EARLIER = "Marblefinch"  # a private entry's earlier version
NEW_PASSWORD = "lanterns over the estuary 42"


def write(client: Any, text: str, *, uid: uuid.UUID, private: bool = True, editing: str = "") -> dict[str, Any]:
    data = {"uid": str(uid), "text": text, "private": "on" if private else "", "editing": editing}
    response = post(client, "/write/autosave", data)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def tables_holding(needle: str) -> list[str]:
    """Every table whose rows, cast to text (all columns, the search vectors too; bytea as hex), contain `needle`."""
    found = []
    with connection.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cur.fetchall():
            cur.execute(f'SELECT count(*) FROM "{table}" AS t WHERE t::text ILIKE %s', [f"%{needle}%"])
            if cur.fetchone()[0]:
                found.append(table)
    return found


def anywhere_in_the_database(word: str) -> list[str]:
    """Every table holding `word`'s stem (so an inflected or stemmed copy is caught too)."""
    return tables_holding(word[:-1])


def pg_dump() -> str:
    bin_folder = server_bin()
    assert bin_folder is not None
    db = connection.settings_dict
    command = [str(bin_folder / "pg_dump"), "-h", db["HOST"], "-U", db["USER"], "--no-owner", db["NAME"]]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "CREATE TABLE public.journal_entry" in done.stdout  # a real dump, not an empty one
    return done.stdout


@pytest.fixture
def patient() -> Any:
    return member("patient-p", Role.PATIENT)


@pytest.mark.django_db(transaction=True)  # committed, so another process (pg_dump) sees the rows
def test_it_keeps_private_words_out_of_pg_dump_and_every_table(patient):
    client = signed_in(patient)
    uid, editing = uuid.uuid4(), str(uuid.uuid4())
    write(client, f"A first {EARLIER} draft", uid=uid)
    write(client, f"Then {SECRET} at dawn", uid=uid)  # a second version, from another visit
    write(client, f"And {SECRET} again", uid=uid, editing=editing)
    trashed = uuid.uuid4()
    write(client, f"{SECRET} into the bin", uid=trashed)
    trash.put(Entry.objects.get(uid=trashed))
    write(client, "Plainmeadow, not private", uid=uuid.uuid4(), private=False)
    dump = pg_dump()
    assert SECRET[:-1] not in dump and EARLIER[:-1] not in dump
    assert anywhere_in_the_database(SECRET) == [] and anywhere_in_the_database(EARLIER) == []
    assert "Plainmeadow" in dump  # what is not private stays as it was (searchable)
    page = client.get(f"/entries/{Entry.objects.get(uid=uid).pk}").content.decode()
    assert f"And {SECRET} again" in page


def test_it_opens_the_private_entry_for_its_patient_after_signing_in_again(patient):
    uid = uuid.uuid4()
    write(signed_in(patient), f"Under the {SECRET}", uid=uid)
    entry_id = Entry.objects.get(uid=uid).pk
    later = signed_in(patient)
    assert f"Under the {SECRET}" in later.get(f"/entries/{entry_id}").content.decode()
    assert SECRET in later.get("/timeline").content.decode()


def test_it_indexes_no_private_words_in_the_database_yet_finds_them_for_their_patient(patient):
    client = signed_in(patient)
    write(client, f"A slow morning, then {SECRET} rising over the hill", uid=uuid.uuid4())
    entry = Entry.objects.get(owner=patient)  # no key in this test's own context: as a clinician's request reads it
    assert entry.locked and entry.text == "" and entry.title == "" and entry.sealed.startswith("2:")  # sealed by her own request
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM journal_entry WHERE search_tsv @@ to_tsquery('afterglow', %s)", [SECRET])
        assert cur.fetchone()[0] == 0
    page = client.get("/search", {"q": f"{SECRET.lower()} hill"}).content.decode()
    assert f"/entries/{entry.pk}" in page and f"<mark>{SECRET}</mark> rising" in page  # opened in the app, for her
    assert f"/entries/{entry.pk}" not in client.get("/search", {"q": f"{SECRET} valley"}).content.decode()


def test_it_seals_existing_words_and_versions_when_marked_private_and_opens_them_when_unmarked(patient):
    client = signed_in(patient)
    uid = uuid.uuid4()
    write(client, f"{EARLIER} first", uid=uid, private=False)
    write(client, f"{SECRET} second", uid=uid, private=False)
    assert len(anywhere_in_the_database(SECRET)) > 0
    write(client, f"{SECRET} second", uid=uid, private=True)
    assert anywhere_in_the_database(SECRET) == [] and anywhere_in_the_database(EARLIER) == []
    assert EntryRevision.objects.filter(entry__uid=uid, sealed="").count() == 0
    write(client, f"{SECRET} second", uid=uid, private=False)
    texts = set(EntryRevision.objects.filter(entry__uid=uid).values_list("text", flat=True))
    assert texts == {f"{EARLIER} first", f"{SECRET} second"}
    assert not Entry.objects.filter(uid=uid).exclude(sealed="").exists()


def test_it_still_opens_the_private_entries_after_a_password_change(patient):
    client = signed_in(patient)
    uid = uuid.uuid4()
    write(client, f"{SECRET} before the change", uid=uid)
    form = {"current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD}
    assert post(client, "/account/password", form).status_code == 302
    entry_id = Entry.objects.get(uid=uid).pk
    assert SECRET in client.get(f"/entries/{entry_id}").content.decode()  # the same session goes on
    again = browser()
    assert post(again, "/login", {"username": patient.username, "password": NEW_PASSWORD}).status_code == 302
    assert SECRET in again.get(f"/entries/{entry_id}").content.decode()


def test_it_refuses_a_password_change_with_the_wrong_current_password(patient):
    client = signed_in(patient)
    form = {"current": "not my password at all", "new": NEW_PASSWORD, "again": NEW_PASSWORD}
    response = post(client, "/account/password", form)
    assert response.status_code == 400 and b"not your current password" in response.content


def reset(patient: Any) -> Any:
    """The admin's new invite, used by the patient to choose NEW_PASSWORD."""
    _, token = accounts.invite(patient.username, Role.PATIENT)
    client = browser()
    response = post(client, f"/invite/{token}", {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    return client


def test_it_opens_private_entries_with_the_recovery_key_after_an_admin_reset(patient):
    uid = uuid.uuid4()
    write(signed_in(patient), f"{SECRET} kept safe", uid=uid)
    client = reset(patient)
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/account/private/locked"
    page = client.get("/account/private/locked").content.decode()
    assert "cannot be opened" in page and "recovery key" in page and "(1)" in page
    guess = {"action": "recover", "recovery_key": "AAAAA-" * 7 + "AAAAA", "password": NEW_PASSWORD}
    wrong = post(client, "/account/private/locked", guess)
    assert wrong.status_code == 400 and b"does not open" in wrong.content
    data = {"action": "recover", "recovery_key": recovery[patient.pk].lower(), "password": NEW_PASSWORD}
    assert post(client, "/account/private/locked", data).status_code == 302
    entry_id = Entry.objects.get(uid=uid).pk
    assert SECRET in client.get(f"/entries/{entry_id}").content.decode()
    later = browser()  # and the new password alone opens them from now on
    assert post(later, "/login", {"username": patient.username, "password": NEW_PASSWORD}).status_code == 302
    assert SECRET in later.get(f"/entries/{entry_id}").content.decode()


def test_it_says_kindly_that_private_entries_are_lost_after_a_reset_without_the_recovery_key(patient):
    uid = uuid.uuid4()
    write(signed_in(patient), f"{SECRET} lost for good", uid=uid)
    write(signed_in(patient), "Openfield, shared freely", uid=uuid.uuid4(), private=False)
    client = reset(patient)
    page = client.get("/account/private/locked").content.decode()
    assert "a forgotten password without the recovery key loses them" in page
    unticked = post(client, "/account/private/locked", {"action": "start", "password": NEW_PASSWORD})
    assert unticked.status_code == 400
    started = post(client, "/account/private/locked", {"action": "start", "password": NEW_PASSWORD, "understood": "on"})
    assert started.status_code == 302 and started["Location"] == "/account/private/recovery-key"
    assert client.get("/").status_code == 302  # nothing opens until the new recovery key is kept
    assert post(client, "/account/private/recovery-key", {"kept": "on"}).status_code == 302
    entry_id = Entry.objects.get(uid=uid).pk
    locked = client.get(f"/entries/{entry_id}")
    assert locked.status_code == 200 and b"This private entry is locked" in locked.content
    assert SECRET.encode() not in locked.content
    timeline = client.get("/timeline").content
    assert b"Openfield" in timeline and b"A locked private entry" in timeline
    refused = post(client, "/write/autosave", {"uid": str(uid), "text": "over the top", "private": "on"})
    assert refused.status_code == 409 and b"locked" in refused.content  # never written over
    fresh = uuid.uuid4()
    write(client, f"A new {SECRET}", uid=fresh)  # private entries go on with the new key
    assert SECRET in client.get(f"/entries/{Entry.objects.get(uid=fresh).pk}").content.decode()


def test_it_shows_the_recovery_key_once_and_opens_nothing_until_it_is_kept():
    _, token = accounts.invite("patient-new", Role.PATIENT)
    client = browser()
    assert post(client, f"/invite/{token}", {"password": PASSWORD, "password_again": PASSWORD}).status_code == 302
    assert client.get("/")["Location"] == "/account/private/recovery-key"
    shown = client.get("/account/private/recovery-key").content.decode()
    assert "a forgotten password without the recovery key loses them" in shown
    assert post(client, "/account/private/recovery-key", {}).status_code == 400
    assert post(client, "/account/private/recovery-key", {"kept": "on"}).status_code == 302
    assert client.get("/").status_code == 200
    groups = re.findall(r"<span>([A-Z2-7]{5})</span>", shown)
    assert len(groups) == 8
    assert "-".join(groups) not in client.get("/account/private/recovery-key").content.decode()  # shown no more
    keyring = PrivateKeyring.objects.get(owner__username="patient-new")
    assert keyring.recovery_confirmed_at is not None and "ciphertext" in keyring.by_recovery


def test_it_replaces_a_kept_recovery_key_only_with_the_password(patient):
    client = signed_in(patient)
    old = PrivateKeyring.objects.get(owner=patient).by_recovery
    assert post(client, "/account/private/recovery-key/new", {"password": "wrong guess"}).status_code == 400
    assert post(client, "/account/private/recovery-key/new", {"password": PASSWORD}).status_code == 302
    assert PrivateKeyring.objects.get(owner=patient).by_recovery != old
    keyring = PrivateKeyring.objects.get(owner=patient)
    assert rings.unlock_with_recovery(keyring, recovery[patient.pk]) is None  # the old key stops working


def test_it_never_shows_a_private_entry_to_a_clinician_with_full_consent(patient):
    dr = member("dr-full", Role.CLINICIAN)
    client = signed_in(patient)
    uid = uuid.uuid4()
    write(client, f"{SECRET} for me alone", uid=uid)
    entry = Entry.objects.get(uid=uid)
    data = {"categories": [c.value for c in Category], "entries": [entry.pk]}
    assert post(client, f"/clinic/sharing/{dr.pk}", data).status_code == 302
    clinician = signed_in(dr)
    pages = [f"/clinic/patients/{patient.pk}"] + [f"/clinic/patients/{patient.pk}/{c.value}" for c in Category]
    for url in pages:
        assert SECRET not in clinician.get(url).content.decode(), url
    report = clinician.get(f"/clinic/patients/{patient.pk}/report.pdf")
    assert SECRET.encode() not in report.content


def export_zip(client: Any, fmt: str) -> zipfile.ZipFile:
    response = post(client, "/export", {"format": fmt, "include_private": "on"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return zipfile.ZipFile(io.BytesIO(body))


def test_it_exports_the_patients_own_private_entries_in_plain_words(patient):
    client = signed_in(patient)
    write(client, f"{SECRET} in my export", uid=uuid.uuid4())
    with export_zip(client, "json") as archive:
        exported = archive.read("afterglow.json").decode()
    assert exported.count(SECRET) == 2  # the entry's text and its one version
    assert '"sealed"' not in exported
    with export_zip(client, "md") as archive:
        pages = [archive.read(name).decode() for name in archive.namelist() if name.startswith("entries/")]
    assert any(f"{SECRET} in my export" in page for page in pages)


def test_it_forgets_the_key_when_signing_out(patient):
    client = signed_in(patient)
    assert client.cookies["afterglow_private"].value
    post(client, "/logout")
    assert client.cookies["afterglow_private"].value == ""
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM django_session")
        assert cur.fetchone()[0] == 0


def test_it_stores_no_key_in_the_clear_in_the_session_row(patient):
    client = signed_in(patient)
    from django.contrib.sessions.models import Session

    stored = Session.objects.get().get_decoded()
    cookie_half = client.cookies["afterglow_private"].value
    assert "private_key" in stored and cookie_half not in json.dumps(stored)
    keyring = PrivateKeyring.objects.get(owner=patient)
    secret = rings.unlock_with_password(keyring, PASSWORD)
    assert secret is not None
    import base64

    assert base64.b64encode(secret).decode() not in json.dumps(stored)


def test_it_sends_the_key_cookie_httponly_secure_and_samesite_strict(patient):
    client = signed_in(patient)
    morsel = client.cookies["afterglow_private"]
    assert morsel["httponly"] and morsel["secure"] and morsel["samesite"] == "Strict"


def test_it_forgets_the_password_wrapping_when_the_admin_sends_a_reset_invite(patient):
    accounts.invite(patient.username, Role.PATIENT)
    assert PrivateKeyring.objects.get(owner=patient).by_password == {}
    assert Invite.objects.filter(member__user=patient, used_at__isnull=True).exists()


def test_it_gives_the_patients_own_themes_the_words_of_private_entries(patient):
    c = course(patient, days_ago(40))
    for _ in range(3):
        create_entry(patient, "The lighthouse keeper waved.", private=True)
    sealed = Entry.objects.filter(owner=patient, text="").values_list("sealed", flat=True)
    assert len(sealed) == 3 and all(s.startswith("1:") for s in sealed)  # sealed with no key at hand: to her public key
    secret = rings.unlock_with_password(PrivateKeyring.objects.get(owner=patient), PASSWORD)
    assert secret is not None
    with opening(patient.pk, secret):
        assert "lighthouse keeper waved" in [t.name for t in themes.compute(c).words]


def test_it_asks_for_the_recovery_key_when_the_password_was_changed_outside_the_pages(patient):
    uid = uuid.uuid4()
    write(signed_in(patient), f"{SECRET} behind the door", uid=uid)
    patient.set_password(NEW_PASSWORD)  # as `manage.py changepassword` would
    patient.save()
    client = browser()
    assert post(client, "/login", {"username": patient.username, "password": NEW_PASSWORD}).status_code == 302
    assert client.get("/")["Location"] == "/account/private/locked"  # not a loop back to the sign-in page
    data = {"action": "recover", "recovery_key": recovery[patient.pk], "password": NEW_PASSWORD}
    assert post(client, "/account/private/locked", data).status_code == 302
    assert SECRET in client.get(f"/entries/{Entry.objects.get(uid=uid).pk}").content.decode()


def test_it_links_the_password_page_from_every_page_of_a_signed_in_patient(patient):
    page = signed_in(patient).get("/timeline").content.decode()
    assert 'href="/account/password"' in page


def test_it_refuses_a_save_whose_key_cookie_went_missing_without_touching_the_entry(patient):
    client = signed_in(patient)
    uid = uuid.uuid4()
    write(client, f"{SECRET} as it was", uid=uid)
    del client.cookies["afterglow_private"]
    response = post(client, "/write/autosave", {"uid": str(uid), "text": "half a thought", "private": "on"})
    assert response.status_code == 401 and response["HX-Redirect"].startswith("/login")  # the browser keeps its draft
    assert SECRET in signed_in(patient).get(f"/entries/{Entry.objects.get(uid=uid).pk}").content.decode()


def test_it_tells_the_admin_a_reset_leaves_private_entries_to_the_recovery_key():
    admin = member("admin-a", Role.ADMIN)
    page = signed_in(admin).get("/clinic/").content.decode()
    assert "only their own recovery key opens them again" in page


def test_it_brings_a_private_entry_back_from_the_trash_still_sealed_and_readable(patient):
    client = signed_in(patient)
    uid = uuid.uuid4()
    write(client, f"{SECRET} in and out of the bin", uid=uid)
    item = trash.put(Entry.objects.get(uid=uid))
    assert SECRET not in item.payload and SECRET not in item.label
    trash.restore(item)
    back = Entry.objects.get(uid=uid)
    assert back.sealed and back.locked  # as stored: sealed (this test holds no key)
    assert f"{SECRET} in and out of the bin" in client.get(f"/entries/{back.pk}").content.decode()


def test_it_forgets_the_key_when_the_session_expires_idle(patient):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = signed_in(patient)
    Session.objects.update(expire_date=timezone.now())  # as after AFTERGLOW_IDLE_MINUTES without a request
    response = client.get("/timeline")
    assert response.status_code == 302 and response["Location"].startswith("/login")
    assert client.cookies["afterglow_private"].value == ""  # the browser's half is dropped too


def test_it_asks_a_patients_second_factor_before_anything_about_the_recovery_key():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.clinic.people import code

    _, token = accounts.invite("patient-otp", Role.PATIENT)
    assert post(browser(), f"/invite/{token}", {"password": PASSWORD, "password_again": PASSWORD}).status_code == 302
    user = PrivateKeyring.objects.get(owner__username="patient-otp").owner
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = browser()
    assert post(client, "/login", {"username": "patient-otp", "password": PASSWORD}).status_code == 302
    assert client.get("/")["Location"].startswith("/login/verify")  # the recovery key waits for the code
    assert post(client, "/login/verify", {"token": code(user)}).status_code == 302
    assert client.get("/")["Location"] == "/account/private/recovery-key"
    assert b"was not kept yet" in client.get("/account/private/recovery-key").content  # shown once, in the other session


def test_it_seals_private_entries_left_from_before_at_once_by_asking_to_sign_in_again(patient):
    client = signed_in(patient)
    PrivateKeyring.objects.filter(owner=patient).delete()  # as on a server from before this existed
    old = Entry.objects.create(owner=patient, text="placeholder")
    Entry.objects.filter(pk=old.pk).update(text=f"{SECRET} from long ago", private=True)  # stored in the clear then
    response = client.get("/timeline")
    assert response.status_code == 302 and response["Location"].startswith("/login")
    again = browser()
    assert post(again, "/login", {"username": patient.username, "password": PASSWORD}).status_code == 302
    assert anywhere_in_the_database(SECRET) == []
    assert post(again, "/account/private/recovery-key", {"kept": "on"}).status_code == 302
    assert f"{SECRET} from long ago" in again.get(f"/entries/{old.pk}").content.decode()
