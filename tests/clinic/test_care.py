"""Consent, the clinician's pages and the audit trail, on PostgreSQL, through the real pages."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from afterglow.care.models import AuditRecord, Category, Consent
from afterglow.care.sharing import set_consent
from afterglow.clinic.models import Role
from afterglow.journal.models import Capture, CheckIn, Entry, Intention
from afterglow.measures.models import MeasureResponse
from tests.clinic.people import member, post, signed_in
from tests.journal.course_factories import course, days_ago, session

pytestmark = [pytest.mark.clinic, pytest.mark.django_db]

# One word per category, each planted only where that category's data lives.
WORDS = {
    Category.SESSIONS: "Marigoldintent",
    Category.CHECKINS: "Lanternnote",
    Category.MEASURES: "PHQ-9:",
    Category.SIDE_EFFECTS: "Racing heart",
    Category.ENTRIES: "Pickedheron",
}
NEVER = ("Unpickedwren", "Privateotter", "Captureglow")  # an entry not picked, a private one, the capture's words


def phq9(owner: Any, item9: int, total_rest: int = 1, when: Any = None) -> MeasureResponse:
    answers = {str(n): total_rest for n in range(1, 9)} | {"9": item9}
    finished = when or timezone.now()
    return MeasureResponse.objects.create(
        owner=owner, instrument="phq9", answers=answers, started_at=finished, finished_at=finished
    )


def journal(patient: Any) -> dict[str, Any]:
    s = session(patient, course(patient, days_ago(20)), days_ago(2))
    Intention.objects.create(owner=patient, session=s, text=f"To meet the {WORDS[Category.SESSIONS]}")
    Capture.objects.create(owner=patient, session=s, first_impression="Captureglow", sensations={"racing_heart": 2})
    CheckIn.objects.create(owner=patient, at=timezone.now(), day=days_ago(0), mood=6, note=WORDS[Category.CHECKINS])
    phq9(patient, 0)
    picked = Entry.objects.create(owner=patient, text=WORDS[Category.ENTRIES])
    Entry.objects.create(owner=patient, text="Unpickedwren")
    private = Entry.objects.create(owner=patient, text="Privateotter", private=True)
    return {"session": s, "picked": picked, "private": private}


@pytest.fixture
def cast() -> dict[str, Any]:
    a = member("patient-a", Role.PATIENT)
    made = journal(a)
    return {"a": a, "dr": member("dr-c", Role.CLINICIAN), **made}


def share(cast: dict[str, Any], *categories: str) -> None:
    """Patient A chooses, through her own page, what Dr C sees."""
    client = signed_in(cast["a"])
    data = {"categories": list(categories), "entries": [cast["picked"].pk, cast["private"].pk]}
    assert post(client, f"/clinic/sharing/{cast['dr'].pk}", data).status_code == 302


@pytest.mark.parametrize("given", list(Category))
def test_it_shows_a_clinician_only_the_category_shared(cast, given):
    share(cast, given)
    dr = signed_in(cast["dr"])
    a = cast["a"].pk
    for category in Category:
        status = dr.get(f"/clinic/patients/{a}/{category}").status_code
        assert status == (200 if category == given else 403), category
    page = dr.get(f"/clinic/patients/{a}").content.decode()
    assert WORDS[given] in page
    leaked = [w for c, w in WORDS.items() if c != given and w in page] + [w for w in NEVER if w in page]
    assert not leaked


def test_it_answers_404_without_consent_and_again_after_it_is_withdrawn(cast):
    dr = signed_in(cast["dr"])
    a = cast["a"].pk
    assert dr.get(f"/clinic/patients/{a}").status_code == 404
    assert dr.get(f"/clinic/patients/{a}/checkins").status_code == 404
    share(cast, Category.CHECKINS)
    assert dr.get(f"/clinic/patients/{a}").status_code == 200
    assert b"patient-a" in dr.get("/clinic/patients").content
    assert post(signed_in(cast["a"]), f"/clinic/sharing/{cast['dr'].pk}", {"withdraw": "1"}).status_code == 302
    assert dr.get(f"/clinic/patients/{a}").status_code == 404  # the very next request
    assert dr.get(f"/clinic/patients/{a}/mood.svg").status_code == 404
    assert b"patient-a" not in dr.get("/clinic/patients").content


def test_narrowing_consent_takes_effect_on_the_next_request(cast):
    share(cast, Category.CHECKINS, Category.SESSIONS)
    dr = signed_in(cast["dr"])
    a = cast["a"].pk
    assert WORDS[Category.SESSIONS].encode() in dr.get(f"/clinic/patients/{a}").content
    share(cast, Category.CHECKINS)
    assert dr.get(f"/clinic/patients/{a}/sessions").status_code == 403
    assert WORDS[Category.SESSIONS].encode() not in dr.get(f"/clinic/patients/{a}").content


def test_an_entry_picked_and_then_made_private_is_no_longer_shown(cast):
    share(cast, Category.ENTRIES)
    dr = signed_in(cast["dr"])
    assert not cast["a"].consents_given.get().entries.filter(private=True).exists()  # private entries are never picked
    Consent.objects.get().entries.add(cast["private"])  # even if a row slipped in
    Entry.objects.filter(pk=cast["picked"].pk).update(private=True)
    page = dr.get(f"/clinic/patients/{cast['a'].pk}/entries").content.decode()
    assert WORDS[Category.ENTRIES] not in page and "Privateotter" not in page


def test_a_patient_cannot_share_another_patients_entry(cast):
    b = member("patient-b", Role.PATIENT)
    theirs = Entry.objects.create(owner=b, text="Bsownheron")
    consent = set_consent(cast["a"], cast["dr"], [Category.ENTRIES], [theirs.pk, cast["picked"].pk])
    assert list(consent.entries.all()) == [cast["picked"]]


def test_the_patient_reads_in_plain_words_what_the_clinician_can_see(cast):
    share(cast, Category.CHECKINS, Category.ENTRIES)
    page = signed_in(cast["a"]).get(f"/clinic/sharing/{cast['dr'].pk}").content.decode()
    assert "What dr-c can see" in page
    assert "your check-ins" in page and "1 entry you picked" in page
    assert "sessions and the intentions" not in page.split("Right now", 1)[1].split("</div>", 1)[0]


def test_every_clinician_read_makes_an_audit_row_the_patient_can_read(cast):
    share(cast, Category.CHECKINS, Category.MEASURES)
    dr = signed_in(cast["dr"])
    a = cast["a"].pk
    reads = ["/clinic/patients", f"/clinic/patients/{a}", f"/clinic/patients/{a}/checkins", f"/clinic/patients/{a}/mood.svg",
             f"/clinic/patients/{a}/measures/phq9.svg"]  # fmt: skip
    for url in reads:
        before = AuditRecord.objects.count()
        assert dr.get(url, REMOTE_ADDR="10.1.2.3").status_code == 200, url
        rows = AuditRecord.objects.filter(pk__gt=0).order_by("-pk")[: AuditRecord.objects.count() - before]
        assert rows, f"no audit row for {url}"
        assert all(r.clinician_id == cast["dr"].pk and r.patient_id == a and r.address == "10.1.2.3" for r in rows)
    assert dr.get(f"/clinic/patients/{a}/sessions").status_code == 403
    assert not AuditRecord.objects.filter(what="sessions").exists()  # a refused read records nothing read
    trail = signed_in(cast["a"]).get("/clinic/sharing/trail").content.decode()
    assert "dr-c looked at your check-ins on" in trail and "dr-c looked at your questionnaires on" in trail
    assert "(3 times that day" in trail  # the page, the part and the chart each read the check-ins: one line, counted


def test_audit_rows_cannot_be_edited_or_deleted():
    a, dr = member("patient-a", Role.PATIENT), member("dr-c", Role.CLINICIAN)
    row = AuditRecord.objects.create(clinician=dr, patient=a, what="checkins", path="/x", address="1.2.3.4")
    row.what = "nothing"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditRecord.objects.filter(pk=row.pk).update(what="nothing")
    with pytest.raises(PermissionError):
        AuditRecord.objects.all().delete()
    assert AuditRecord.objects.get().what == "checkins"


def test_the_dashboard_puts_item_9_first_then_warning_signs_then_worsening_then_missed_check_ins():
    dr = member("dr-c", Role.CLINICIAN)
    people = {name: member(name, Role.PATIENT) for name in ("p-missed", "p-worse", "p-warning", "p-item9", "p-fine")}
    for p in people.values():
        CheckIn.objects.create(owner=p, at=timezone.now(), day=days_ago(0), mood=6)
        set_consent(p, dr, list(Category.values), [])
    CheckIn.objects.filter(owner=people["p-missed"]).update(day=days_ago(6))
    worse = course(people["p-worse"], days_ago(20))
    phq9(people["p-worse"], 0, total_rest=0, when=timezone.now() - timedelta(days=14))
    phq9(people["p-worse"], 0, total_rest=2)
    MeasureResponse.objects.filter(owner=people["p-worse"]).update(course=worse)  # one course: the first is its baseline
    s = session(people["p-warning"], course(people["p-warning"], days_ago(10)), days_ago(1))
    Capture.objects.create(owner=people["p-warning"], session=s, sensations={"chest_pain": 1})
    phq9(people["p-item9"], 1)
    page = signed_in(dr).get("/clinic/patients").content.decode()
    order = sorted(people, key=page.index)
    assert order == ["p-item9", "p-warning", "p-worse", "p-missed", "p-fine"]
    assert "PHQ-9 question 9 answered 1" in page


def test_only_a_clinician_sees_a_dashboard_and_only_a_patient_chooses_what_to_share(cast):
    assert signed_in(cast["a"]).get("/clinic/patients").status_code == 403
    assert signed_in(cast["dr"]).get("/clinic/sharing").status_code == 403
    b = member("patient-b", Role.PATIENT)
    assert signed_in(cast["a"]).get(f"/clinic/sharing/{b.pk}").status_code == 404  # not a clinician


def test_the_admin_exports_the_audit_trail_as_csv_and_nobody_else_can(cast):
    share(cast, Category.CHECKINS)
    dr = signed_in(cast["dr"])
    dr.get(f"/clinic/patients/{cast['a'].pk}/checkins?x==1+2")
    assert dr.get("/clinic/audit.csv").status_code == 403
    response = signed_in(member("admin-d", Role.ADMIN)).get("/clinic/audit.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["at (UTC)", "clinician", "patient", "what"]
    assert rows[1][1:4] == ["dr-c", "patient-a", "checkins"]
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_every_clinician_page_of_a_patient_that_answers_200_writes_an_audit_row(cast):
    from tests.clinic.test_isolation import routes

    share(cast, *Category.values)
    dr = signed_in(cast["dr"])
    pages = [r for r, _ in routes() if r.startswith("clinic/patients")]
    assert len(pages) >= 4
    fill = {"<int:patient_id>": str(cast["a"].pk), "<str:category>": "checkins", "<str:instrument_id>": "phq9"}
    for route in pages:
        url = "/" + route
        for hole, value in fill.items():
            url = url.replace(hole, value)
        before = AuditRecord.objects.count()
        assert dr.get(url).status_code == 200, url
        assert AuditRecord.objects.count() > before, url


def test_a_csv_cell_that_a_spreadsheet_would_run_is_made_plain_text():
    from afterglow.care.views import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("/clinic/patients/1") == "/clinic/patients/1"


def test_postgresql_itself_refuses_to_change_or_delete_an_audit_row():
    from django.db import DatabaseError, connection, transaction

    a, dr = member("patient-a", Role.PATIENT), member("dr-c", Role.CLINICIAN)
    row = AuditRecord.objects.create(clinician=dr, patient=a, what="checkins", path="/x", address="1.2.3.4")
    for sql in ("UPDATE care_auditrecord SET what = 'nothing' WHERE id = %s", "DELETE FROM care_auditrecord WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert AuditRecord.objects.get().what == "checkins"


def test_the_dashboard_shows_no_sign_from_a_category_not_shared():
    dr = member("dr-c", Role.CLINICIAN)
    p = member("p-item9", Role.PATIENT)
    phq9(p, 2)
    set_consent(p, dr, [Category.CHECKINS], [])
    client = signed_in(dr)
    page = client.get("/clinic/patients").content.decode()
    assert "p-item9" in page and "question 9" not in page
    set_consent(p, dr, [Category.CHECKINS, Category.MEASURES], [])
    assert "PHQ-9 question 9 answered 2" in client.get("/clinic/patients").content.decode()


def test_the_clinician_report_holds_only_what_is_shared(cast, tmp_path):
    import subprocess

    share(cast, Category.SESSIONS)
    dr = signed_in(cast["dr"])
    response = dr.get(f"/clinic/patients/{cast['a'].pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (tmp_path / "r.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], check=True, capture_output=True, text=True).stdout
    assert WORDS[Category.SESSIONS] in text
    assert not [w for w in (*NEVER, WORDS[Category.CHECKINS], WORDS[Category.ENTRIES], "check-in") if w in text]
    assert AuditRecord.objects.filter(what=Category.SESSIONS, path__endswith="report.pdf").exists()


def clinic_of(dr: Any, size: int) -> None:
    """`size` patients sharing everything with `dr`, each with a sign of every kind the dashboard reads."""
    for n in range(size):
        p = member(f"p-{dr.username}-{n:02d}", Role.PATIENT)
        s = session(p, course(p, days_ago(20)), days_ago(2))
        session(p, s.course, days_ago(-3))
        Capture.objects.create(owner=p, session=s, sensations={"chest_pain": 1})
        CheckIn.objects.create(owner=p, at=timezone.now(), day=days_ago(n % 6), mood=6)
        phq9(p, 0, total_rest=0, when=timezone.now() - timedelta(days=9))
        phq9(p, n % 2, total_rest=2)
        set_consent(p, dr, list(Category.values), [])


def dashboard_queries(size: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dr = member(f"dr-{size}", Role.CLINICIAN)
    clinic_of(dr, size)
    client = signed_in(dr)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/clinic/patients").content.decode()
    assert page.count("PHQ-9 question 9 answered 1") == size // 2
    assert page.count("Warning sign: Chest pain") == size
    assert AuditRecord.objects.filter(clinician=dr, what="overview").count() == size
    return len(queries)


def test_the_dashboard_takes_the_same_number_of_queries_for_3_patients_as_for_30():
    few = dashboard_queries(3)
    assert dashboard_queries(30) == few
    assert few <= 20  # the session, the account, role and second factor, consents, one per category, the audit rows


def patient_page_queries(history: int) -> int:
    """Queries for one patient page of a patient with `history` sessions, entries, check-ins and questionnaires."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dr = member(f"dr-{history}", Role.CLINICIAN)
    p = member(f"p-{history}", Role.PATIENT)
    c = course(p, days_ago(40))
    for n in range(history):
        s = session(p, c, days_ago(30 - n))
        Intention.objects.create(owner=p, session=s, text=f"Intention {n}")
        Capture.objects.create(owner=p, session=s, sensations={"racing_heart": 3})
        CheckIn.objects.create(owner=p, at=timezone.now() - timedelta(days=n), day=days_ago(n), mood=5)
        phq9(p, 0, when=timezone.now() - timedelta(days=20 - n))
    picked = [Entry.objects.create(owner=p, text=f"Entry {n}").pk for n in range(history)]
    set_consent(p, dr, list(Category.values), picked)
    client = signed_in(dr)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/clinic/patients/{p.pk}").status_code == 200
    assert AuditRecord.objects.filter(patient=p, path=f"/clinic/patients/{p.pk}").count() == len(Category)
    return len(queries)


def test_a_patient_page_takes_as_many_queries_for_a_long_history_as_for_a_short_one():
    assert patient_page_queries(2) == patient_page_queries(12)


def test_the_result_read_from_a_loaded_history_is_the_one_the_patient_sees():
    from afterglow.care.needs import histories, result_of
    from afterglow.measures import responses
    from afterglow.measures.instruments import get

    p = member("p-hist", Role.PATIENT)
    c = course(p, days_ago(40))
    for n, (rest, item9) in enumerate([(0, 0), (2, 0), (1, 1), (3, 0)]):
        phq9(p, item9, total_rest=rest, when=timezone.now() - timedelta(days=30 - 8 * n))
    MeasureResponse.objects.filter(owner=p).exclude(pk=MeasureResponse.objects.filter(owner=p).first().pk).update(course=c)
    phq = get("phq9")
    points = histories([p.pk])[(p.pk, "phq9")]
    mine, theirs = result_of(phq, points), responses.result(phq, points[-1].response)
    assert (mine.change, mine.overlap_days, mine.score.total) == (theirs.change, theirs.overlap_days, theirs.score.total)
    assert mine.baseline is not None and theirs.baseline is not None and mine.baseline.response.pk == theirs.baseline.response.pk
    assert mine.change.since_baseline == 8 and mine.change.meaningful_since_baseline


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([(0, 0, True), (2, 0, True)], True),  # worse by 16: a reliable change
        ([(1, 0, True), (1, 0, True), (2, 0, False)], False),  # the newest is incomplete: no change to read
        ([(3, 0, False), (1, 0, True), (1, 0, True)], False),  # an incomplete first is not the baseline (it would be 24)
        ([(0, 0, False), (1, 0, True), (2, 0, True)], True),  # the first complete one is: 8 → 16
        ([(0, 0, True), (3, 0, True), (1, 0, None)], False),  # the newest belongs to no course: no baseline
    ],
)
def test_the_dashboard_reads_worsening_as_the_patient_page_does(history, expected):
    from afterglow.care.needs import Need, _measures, histories, result_of
    from afterglow.measures.instruments import get

    p = member("p-signs", Role.PATIENT)
    c = course(p, days_ago(40))
    for n, (rest, item9, in_course) in enumerate(history):
        r = phq9(p, item9, total_rest=rest, when=timezone.now() - timedelta(days=30 - 7 * n))
        if in_course is False:
            r.answers = {k: v for k, v in r.answers.items() if k != "3"}  # a question skipped
        MeasureResponse.objects.filter(pk=r.pk).update(answers=r.answers, course=c if in_course is not None else None)
    consent = set_consent(p, member("dr-signs", Role.CLINICIAN), list(Category.values), [])
    need = Need(consent)
    _measures({p.pk: need}, timezone.now())
    change = result_of(get("phq9"), histories([p.pk])[(p.pk, "phq9")]).change
    worse = change.since_baseline is not None and change.since_baseline > 0 and change.meaningful_since_baseline
    assert bool(need.worsening) == worse == expected
