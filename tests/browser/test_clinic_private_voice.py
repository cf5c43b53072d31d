"""Clinic mode in a real browser: a patient records a private voice note, sees its words arrive from a separate
`afterglow worker`, and plays it back through gunicorn over TLS; a clinician cannot fetch it.

The recording is sealed on the server (media/voice/privacy.py): the player's Range requests are answered by
opening only the pieces they cover. Chromium's fake microphone speaks a generated sentence.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, shot
from tests.browser.test_clinic_sign_in import (
    STRONG,
    _demo_script,
    afterglow,
    authenticator_key,
    choose_password,
    code,
    give_code,
    invite,
    person,
    wait_for_server,
)
from tests.clinic.processes import BIN, ROOT, clinic_env, free_port
from tests.media.speech import speak

pytestmark = [pytest.mark.browser, pytest.mark.clinic]

SAID = "my grandmother's garden smelled of lavender after the rain"


@pytest.fixture
def clinic_with_worker(tmp_path: Path, transactional_db) -> Iterator[tuple[str, str]]:
    """(address, first admin's invite link): gunicorn over TLS and one `afterglow worker`, with the same settings."""
    port = free_port()
    env = clinic_env(tmp_path, AFTERGLOW_ALLOWED_HOSTS="localhost", AFTERGLOW_BIND=f"127.0.0.1:{port}")
    env.update(AFTERGLOW_WEB_WORKERS="2", AFTERGLOW_WEB_THREADS="4")
    afterglow(env, "collectstatic", "--noinput", "-v0")
    link = afterglow(env, "clinic", "createadmin", "ada").split("https://localhost", 1)[1].split()[0]
    cert, key = _demo_script().certificate(tmp_path)
    log = (tmp_path / "processes.log").open("wb")
    web = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--certfile", str(cert), "--keyfile", str(key)]
    processes = [
        subprocess.Popen(web, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT),
        subprocess.Popen([str(BIN / "afterglow"), "worker", "--interval", "0.2"], env=env, cwd=ROOT, stdout=log,
                         stderr=subprocess.STDOUT),
    ]  # fmt: skip
    url = f"https://localhost:{port}"
    try:
        yield url, url + link
    finally:
        for process in processes:
            process.terminate()
            process.wait(30)
        log.close()


def test_a_patient_records_a_private_note_reads_its_words_and_plays_it_and_a_clinician_cannot(
    clinic_with_worker: tuple[str, str], tmp_path: Path
) -> None:
    url, admin_link = clinic_with_worker
    said = speak(tmp_path / "said.wav", f"{SAID}. {SAID}.")
    fake_mic = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-audio-capture={said}", "--autoplay-policy=no-user-gesture-required"]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *fake_mic])
        pages: list[Page] = []
        try:
            _, admin = person(browser, url)
            pages.append(admin)
            wait_for_server(admin, url)
            admin.goto(admin_link)
            choose_password(admin, STRONG)
            give_code(admin, code(authenticator_key(admin)), "Add it")
            patient_link, clinician_link = invite(admin, "pat", "patient"), invite(admin, "dr-lee", "clinician")

            _, patient = person(browser, url)
            pages.append(patient)
            patient.goto(patient_link)
            choose_password(patient, STRONG)
            patient.get_by_label("I have written down or printed my recovery key and put it somewhere safe.").check()
            patient.get_by_role("button", name="Continue to my journal").click()
            patient.goto(url + "/voice/new")
            patient.locator("[data-rec-private]").check()
            patient.get_by_role("button", name="Start recording").click()
            patient.wait_for_timeout(4_500)
            patient.get_by_role("button", name="Stop recording").click()
            item = patient.locator("[data-rec-item]")
            # The fake microphone starts anywhere in the sentence said twice: its first word is heard each time.
            expect(item.locator("q")).to_contain_text(re.compile("grandmother", re.IGNORECASE), timeout=60_000)
            item.get_by_role("link", name="Open it").click()
            expect(patient.get_by_label("Transcript")).to_have_value(re.compile("grandmother", re.IGNORECASE))
            expect(patient.locator(".badge-private")).to_have_text("Private")
            played = patient.evaluate(
                """async () => {
                     const audio = document.querySelector("audio");
                     await audio.play();
                     await new Promise((r) => setTimeout(r, 700));
                     const at = audio.currentTime;
                     audio.pause();
                     return { at, seekable: audio.seekable.length };
                   }"""
            )
            assert played["at"] > 0.2 and played["seekable"] == 1, played
            shot(patient, "clinic-private-voice-note")
            audio_url = url + patient.locator("audio").get_attribute("src")

            _, clinician = person(browser, url)
            pages.append(clinician)
            clinician.goto(clinician_link)
            choose_password(clinician, STRONG)
            give_code(clinician, code(authenticator_key(clinician)), "Add it")
            fetched = clinician.request.get(audio_url, max_redirects=0)
            assert fetched.status in (302, 403, 404) and fetched.headers["content-type"].startswith("text/html")
            assert b"\x1a\x45\xdf\xa3" not in fetched.body()  # no WebM (the recorder's) in what it got
        finally:
            for page in pages:
                page.watch.assert_clean()  # type: ignore[attr-defined]
            browser.close()
