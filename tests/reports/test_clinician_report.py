"""The clinician report (PDF): what is chosen is in it, nothing else is, and page one flags item 9."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from afterglow.journal.models import Entry
from afterglow.reports import clinician, pdf
from tests.cli.test_processes import afterglow, assert_one_line_refusal, env  # noqa: F401
from tests.cli.verbs import refused, run
from tests.conftest import csrf_post
from tests.journal.course_factories import at, course, entry, session
from tests.reports import full_journal

CHOSEN = "canary-chosen-heron"
UNCHOSEN = "canary-unchosen-badger"


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], check=True, capture_output=True, text=True).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def planted(owner):  # type: ignore[no-untyped-def]
    full_journal.build(owner)
    day = timezone.localdate() - timedelta(days=10)
    chosen = entry(owner, f"The walk helped {CHOSEN}", when=at(day, 10))
    unchosen = entry(owner, f"Not for the report {UNCHOSEN}", when=at(day, 11))
    private = Entry.objects.get(owner=owner, private=True)
    return chosen, unchosen, private


@pytest.mark.django_db
def test_it_holds_the_chosen_entry_and_not_the_unchosen_or_private_one(patient, tmp_path):
    chosen, _, _ = planted(patient)
    out = tmp_path / "report.pdf"
    run("report", "-o", str(out), "--entries", str(chosen.pk))
    text = pdf_text(out)
    assert CHOSEN in text
    assert UNCHOSEN not in text
    assert full_journal.PRIVATE_CANARY not in text
    assert "Walk by the sea" not in text  # an action written in a private entry stays private
    assert "Prepared by the patient on" in text and "Not a diagnosis." in text
    assert 2 <= page_count(out) <= 8


@pytest.mark.django_db
def test_it_flags_item_9_with_its_date_on_page_one(patient, tmp_path):
    planted(patient)
    out = tmp_path / "report.pdf"
    run("report", "-o", str(out))
    first = pdf_text(out, 1, 1)
    assert "PHQ-9 item 9 answered above 0" in first
    start = timezone.localdate() - timedelta(days=20)
    assert f"{start:%-d} {start:%b} {start:%Y}" in first
    assert "Prepared by the patient on" in first


@pytest.mark.django_db
def test_it_refuses_a_private_entry_in_the_gathering_itself(patient, django_user_model):
    other_patient = django_user_model.objects.create(username="someone-else")
    _, _, private = planted(patient)
    with pytest.raises(clinician.NotAllowed):
        clinician.gather(patient, clinician.Choice(entry_ids=(private.pk,)))
    theirs = entry(other_patient, "someone else's words", when=at(timezone.localdate(), 9))
    with pytest.raises(clinician.NotAllowed):
        clinician.gather(patient, clinician.Choice(entry_ids=(theirs.pk,)))


@pytest.mark.django_db
def test_the_cli_refuses_a_private_entry_in_one_line_and_writes_nothing(patient, tmp_path):
    _, _, private = planted(patient)
    out = tmp_path / "report.pdf"
    assert "not private" in refused("report", "-o", str(out), "--entries", str(private.pk))
    assert "no report section 'gossip'" in refused("report", "-o", str(out), "--sections", "gossip")
    assert not out.exists()


@pytest.mark.django_db
def test_it_fetches_nothing_but_data_and_its_own_files(patient):
    fetcher = pdf.url_fetcher_class()()
    for url in ("http://example.org/x.png", "https://127.0.0.1/a.css", "file:///etc/passwd"):
        with pytest.raises(pdf.RefusedFetch):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGk=") is not None
    assert fetcher.refused == ["http://example.org/x.png", "https://127.0.0.1/a.css", "file:///etc/passwd"]


@pytest.mark.django_db
def test_the_report_page_lists_only_non_private_entries_and_previews_before_the_pdf(client, patient, tmp_path):
    chosen, unchosen, private = planted(patient)
    page = client.get("/report").content.decode()
    assert f'name="entries" value="{chosen.pk}"' in page and f'name="entries" value="{unchosen.pk}"' in page
    assert f'value="{private.pk}"' not in page.split("Entries to share")[1]
    assert full_journal.PRIVATE_CANARY not in page
    preview = csrf_post(
        client, "/report", {"step": "preview", "entries": [str(chosen.pk)], "sections": list(clinician.SECTION_KEYS)}
    )
    text = preview.content.decode()
    assert preview.status_code == 200 and CHOSEN in text and UNCHOSEN not in text and "Make the PDF" in text
    made = csrf_post(client, "/report", {"step": "pdf", "entries": [str(chosen.pk)], "sections": list(clinician.SECTION_KEYS)})
    assert made["Content-Type"] == "application/pdf" and made["Content-Disposition"].startswith("attachment;")
    (tmp_path / "web.pdf").write_bytes(made.content)
    assert CHOSEN in pdf_text(tmp_path / "web.pdf") and UNCHOSEN not in pdf_text(tmp_path / "web.pdf")


@pytest.mark.django_db
def test_the_report_page_answers_404_for_a_private_or_anothers_entry(client, patient, django_user_model):
    _, _, private = planted(patient)
    other = django_user_model.objects.create(username="someone-else")
    theirs = entry(other, "someone else's words", when=at(timezone.localdate(), 9))
    their_session = session(other, course(other, timezone.localdate()), timezone.localdate())
    asks = [{"entries": [str(pk)]} for pk in (private.pk, theirs.pk)] + [{"sessions": [str(their_session.pk)]}]
    for ask in asks:
        for step in ("preview", "pdf"):
            response = csrf_post(client, "/report", {"step": step, "sections": ["entries"], **ask})
            assert response.status_code == 404
            assert full_journal.PRIVATE_CANARY.encode() not in response.content and b"Traceback" not in response.content


@pytest.mark.django_db
def test_the_report_page_says_kindly_what_is_wrong_with_a_date(client, patient):
    response = csrf_post(client, "/report", {"step": "preview", "from": "0000-01-01", "sections": ["sessions"]})
    assert response.status_code == 400 and b"should look like 2026-03-14" in response.content


@pytest.mark.django_db
def test_it_leaves_out_the_sections_not_chosen(patient, tmp_path):
    chosen, _, _ = planted(patient)
    out = tmp_path / "only-entries.pdf"
    run("report", "-o", str(out), "--sections", "entries", "--entries", str(chosen.pk))
    text = pdf_text(out)
    assert CHOSEN in text
    for absent in ("PHQ-9", "Dose as given", "0.5 mg/kg", "Side effects across", "Actions kept", "Call my sister"):
        assert absent not in text
    assert "--entries needs the entries section" in refused("report", "-o", str(out), "--sections", "sessions", "--entries", "1")


@pytest.mark.django_db
def test_the_pdf_asks_no_other_host_even_when_the_template_names_one(patient, monkeypatch):
    planted(patient)
    report = clinician.gather(patient, clinician.Choice())
    original = pdf.html
    monkeypatch.setattr(pdf, "html", lambda r: original(r).replace("</body>", '<img src="http://example.invalid/t.png"></body>'))
    fetcher = pdf.url_fetcher_class()()
    assert pdf.render(report, fetcher).startswith(b"%PDF")
    assert fetcher.refused == ["http://example.invalid/t.png"]


def test_a_refused_report_is_one_line_on_stderr_and_status_2(env, tmp_path):  # noqa: F811
    out = tmp_path / "r.pdf"
    assert_one_line_refusal(afterglow(env, "report", "-o", str(out), "--entries", "999999"), "not private")
    assert_one_line_refusal(afterglow(env, "report", "-o", str(out), "--from", "0000-01-01"), "should look like 2026-03-14")
    assert not out.exists()
    made = afterglow(env, "report", "-o", str(out))
    assert made.returncode == 0, made.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_the_report_page_lists_at_most_so_many_entries_and_asks_for_narrower_dates(client, patient, monkeypatch):
    monkeypatch.setattr(clinician, "LISTED_AT_MOST", 2)
    planted(patient)
    page = client.get("/report").content.decode()
    assert page.count('name="entries"') == 2 and "Choose narrower dates" in page
