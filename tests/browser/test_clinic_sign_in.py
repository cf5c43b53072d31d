"""Clinic mode in a real browser: the admin invites a patient and a clinician; the patient chooses a
password (a weak one is refused kindly first), writes, signs out and back in and finds the words;
the clinician must add an authenticator before anything else, then signs in with its code.

gunicorn with the repo's deploy/gunicorn.conf.py on the clinic run's PostgreSQL, behind TLS as a
clinic serves it (make clinic-demo's self-signed certificate stands in for the proxy). Every
account is made through the pages, so the database work is the server's: this process only
drives Chromium (and lets pytest-django flush what was committed afterwards).
"""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SAVED, _watch, shot
from tests.clinic.processes import BIN, ROOT, clinic_env, free_port

pytestmark = [pytest.mark.browser, pytest.mark.clinic]

STRONG = "a slow tide under lanterns 58"
WEAK = "password1"
ENTRY = "First week at the clinic: the waiting room smelled of oranges, and I felt steadier than I expected."
LATER = "Written after my session had quietly ended, and still kept."
_axe = Axe()


def axe_violations(page: Page) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in _axe.run(page).response["violations"]]


def afterglow(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(BIN / "afterglow"), *args], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def clinic(tmp_path: Path, transactional_db) -> Iterator[tuple[str, str]]:
    """(the clinic's address, the first admin's invite link) with gunicorn serving it over TLS."""
    port = free_port()
    env = clinic_env(tmp_path, AFTERGLOW_ALLOWED_HOSTS="localhost", AFTERGLOW_BIND=f"127.0.0.1:{port}")
    env.update(AFTERGLOW_WEB_WORKERS="2", AFTERGLOW_WEB_THREADS="4")  # each browser opens several connections
    afterglow(env, "collectstatic", "--noinput", "-v0")
    printed = afterglow(env, "clinic", "createadmin", "ada")
    link = printed.split("https://localhost", 1)[1].split()[0]
    cert, key = _demo_script().certificate(tmp_path)
    log = (tmp_path / "gunicorn.log").open("wb")
    command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--certfile", str(cert), "--keyfile", str(key)]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"https://localhost:{port}"
    try:
        yield url, url + link
    finally:
        server.terminate()
        server.wait(30)
        log.close()


def _demo_script() -> ModuleType:
    """scripts/clinic-demo (a script, no .py): its self-signed certificate stands in for the proxy here too."""
    path = str(ROOT / "scripts" / "clinic-demo")
    spec = spec_from_file_location("clinic_demo", path, loader=SourceFileLoader("clinic_demo", path))
    assert spec is not None and spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def person(browser: Browser, url: str) -> tuple[BrowserContext, Page]:
    """A browser of one's own (its own cookies), watched for other hosts, CSP violations and errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(30_000)  # a shared CI machine under load
    page.watch = _watch(page, url)  # type: ignore[attr-defined]
    return context, page


def wait_for_server(page: Page, url: str) -> None:
    for _ in range(150):
        try:
            if page.request.get(url + "/healthz").ok:
                return
        except Exception:  # not listening yet
            pass
        page.wait_for_timeout(200)
    raise AssertionError("gunicorn did not answer")


def choose_password(page: Page, password: str) -> None:
    page.get_by_label("New password").fill(password)
    page.get_by_label("The same password again").fill(password)
    page.get_by_role("button", name="Set my password").click()


def authenticator_key(page: Page) -> bytes:
    return base64.b32decode(page.locator(".secret-key code").inner_text().replace(" ", ""))


def code(key: bytes, *, step_ahead: int = 0) -> str:
    # The code an authenticator app shows (django-otp's own TOTP). A code is taken once: the next
    # sign-in uses the next 30-second step's, which the server's tolerance of one step accepts.
    return f"{totp(key, drift=step_ahead):06d}"


def give_code(page: Page, value: str, button: str) -> None:
    page.get_by_label("The 6-digit code from your authenticator app").fill(value)
    page.get_by_role("button", name=button).click()


def sign_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def invite(admin: Page, username: str, role: str) -> str:
    admin.get_by_label("Username").fill(username)
    admin.get_by_label("Role").select_option(role)
    admin.get_by_role("button", name="Make an invite link").click()
    return admin.locator(".invite-link").inner_text().strip()


def test_an_admin_invites_a_patient_and_a_clinician_who_sign_in_their_own_way(clinic: tuple[str, str]) -> None:
    url, admin_link = clinic
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages: list[Page] = []
        try:
            _the_clinic(browser, url, admin_link, pages)
        finally:
            for page in pages:
                page.watch.assert_clean()  # type: ignore[attr-defined]
            browser.close()


def _the_clinic(browser: Browser, url: str, admin_link: str, pages: list[Page]) -> None:
    _, admin = person(browser, url)
    pages.append(admin)
    wait_for_server(admin, url)

    # The admin: a password, then an authenticator before anything else, then invites.
    admin.goto(admin_link)
    choose_password(admin, STRONG)
    expect(admin.get_by_role("heading", name="Add an authenticator app")).to_be_visible()
    give_code(admin, code(authenticator_key(admin)), "Add it")
    expect(admin.get_by_role("heading", name="Clinic accounts")).to_be_visible()
    patient_link = invite(admin, "pat", "patient")
    clinician_link = invite(admin, "dr-lee", "clinician")
    assert patient_link.startswith(url + "/invite/") and clinician_link.startswith(url + "/invite/")
    shot(admin, "clinic-admin-invites")

    # The patient: a weak password is refused kindly and the invite kept; then a good one.
    _, patient = person(browser, url)
    pages.append(patient)
    patient.goto(patient_link)
    assert axe_violations(patient) == []
    choose_password(patient, WEAK)
    problems = patient.get_by_role("alert")
    expect(problems).to_contain_text("too common")
    expect(patient.get_by_role("heading", name="Welcome, pat")).to_be_visible()  # still the invite, still usable
    shot(patient, "clinic-invite-weak-password")
    choose_password(patient, STRONG)
    # The recovery key for private entries comes first, shown once.
    expect(patient.get_by_role("heading", name="Your recovery key")).to_be_visible()
    patient.get_by_label("I have written down or printed my recovery key and put it somewhere safe.").check()
    patient.get_by_role("button", name="Continue to my journal").click()
    expect(patient).to_have_url(url + "/")

    # Writes; autosave keeps it on the clinic's server.
    patient.goto(url + "/write")
    patient.get_by_label("Your entry").fill(ENTRY)
    expect(patient.locator("#save-status")).to_contain_text("Saved", timeout=SAVED)

    # The session ends while writing (as after the idle minutes): the words stay on the page, the
    # page says to sign in again, Save leads there, and signing in brings back and saves the words.
    patient.goto(url + "/write")
    expect(patient.locator("#entry-text")).to_have_value(ENTRY)  # the entry not yet closed, to go on with
    expect(patient.locator(".write-js").first).to_be_visible()  # write.js is listening
    # Once nothing is in flight: every answer renews the session cookie, and one arriving later would bring it back.
    patient.wait_for_load_state("networkidle")
    patient.context.clear_cookies(name="sessionid")
    patient.get_by_label("Your entry").fill(f"{ENTRY} {LATER}")
    expect(patient.locator("#save-status")).to_contain_text("Please sign in again", timeout=SAVED)
    patient.get_by_role("button", name="Save", exact=True).click()
    expect(patient).to_have_url(url + "/login?next=%2Fwrite")
    patient.get_by_label("Username").fill("pat")
    patient.get_by_label("Password").fill(STRONG)
    patient.get_by_role("button", name="Sign in").click()
    expect(patient).to_have_url(url + "/write")
    expect(patient.locator("#entry-text")).to_have_value(f"{ENTRY} {LATER}")
    expect(patient.locator("#save-status")).to_contain_text("Saved", timeout=SAVED)

    # Signs out: the journal is closed to this browser, even through Back.
    patient.goto(url + "/timeline")
    expect(patient.get_by_text(ENTRY[:40])).to_be_visible()
    patient.get_by_role("button", name="Sign out").click()
    expect(patient.get_by_role("heading", name="Sign in to your journal")).to_be_visible()
    assert axe_violations(patient) == []
    shot(patient, "clinic-sign-in")
    patient.go_back()
    assert ENTRY[:40] not in patient.content()
    patient.goto(url + "/timeline")
    expect(patient).to_have_url(url + "/login?next=%2Ftimeline")
    assert ENTRY[:40] not in patient.content()
    assert patient.request.get(url + "/timeline", max_redirects=0).status == 302

    # A wrong password is answered plainly; the right one brings the entry back.
    sign_in(patient, url, "pat", "not my password at all")
    expect(patient.get_by_role("alert")).to_contain_text("do not match")
    sign_in(patient, url, "pat", STRONG)
    patient.goto(url + "/timeline")
    expect(patient.get_by_text(ENTRY[:40])).to_be_visible()
    expect(patient.get_by_text(LATER)).to_be_visible()  # the words typed after the session ended
    shot(patient, "clinic-patient-timeline")

    # The clinician: a password, then the authenticator comes before any other page.
    _, clinician = person(browser, url)
    pages.append(clinician)
    clinician.goto(clinician_link)
    choose_password(clinician, STRONG)
    expect(clinician.get_by_role("heading", name="Add an authenticator app")).to_be_visible()
    assert axe_violations(clinician) == []
    shot(clinician, "clinic-authenticator")
    key = authenticator_key(clinician)
    clinician.goto(url + "/clinic/patients")
    expect(clinician.get_by_role("heading", name="Add an authenticator app")).to_be_visible()
    give_code(clinician, "000000" if code(key) != "000000" else "111111", "Add it")
    expect(clinician.get_by_role("alert")).to_contain_text("did not match")
    clinician.wait_for_timeout(1_500)  # django-otp looks at the next code only after a second (more after more)
    give_code(clinician, code(key), "Add it")
    expect(clinician.get_by_role("heading", name="Signed in as a clinician")).to_be_visible()
    clinician.get_by_role("button", name="Sign out").click()

    # Signing in again asks for the second factor before anything opens.
    sign_in(clinician, url, "dr-lee", STRONG)
    expect(clinician.get_by_role("heading", name="One more step")).to_be_visible()
    assert axe_violations(clinician) == []
    shot(clinician, "clinic-second-factor")
    clinician.goto(url + "/clinic/patients")
    expect(clinician.get_by_role("heading", name="One more step")).to_be_visible()
    give_code(clinician, code(key, step_ahead=1), "Continue")
    expect(clinician.get_by_role("heading", name="Signed in as a clinician")).to_be_visible()
    clinician.goto(url + "/timeline")
    assert ENTRY[:40] not in clinician.content()  # a clinician has no journal, and sees no patient's unshared words
