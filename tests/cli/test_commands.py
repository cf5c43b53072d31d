"""The journal's CLI verbs, run in-process with call_command."""

from __future__ import annotations

import io
import json
import sys
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from afterglow.journal.entries import create_entry
from afterglow.journal.models import CheckIn, Course, Entry, Intention, Session
from afterglow.prompts.models import OwnPrompt
from tests.cli.verbs import refused, run
from tests.conftest import csrf_post

# --- session ---


def test_it_adds_a_session_and_starts_a_course(patient):
    out = run("session", "add", "--date", "2025-03-14", "--time", "10:30", "--route", "IV", "--dose", "0.5 mg/kg")
    session = Session.objects.get()
    assert (session.number, session.route, session.dose) == (1, "iv", "0.5 mg/kg")
    assert timezone.localtime(session.started_at).strftime("%Y-%m-%d %H:%M") == "2025-03-14 10:30"
    assert Course.objects.get().start_date.isoformat() == "2025-03-14"
    assert "session 1" in out


def test_it_numbers_sessions_within_the_existing_course(patient):
    run("session", "add", "--date", "2025-03-14")
    run("session", "add", "--date", "2025-03-18", "--intention", "to rest")
    assert Course.objects.count() == 1
    assert list(Session.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert Intention.objects.get().text == "to rest"


def test_it_lists_sessions_aligned_and_as_json(patient):
    run("session", "add", "--date", "2025-03-14", "--route", "nasal")
    run("session", "add", "--date", "2025-03-18")
    lines = run("session", "list").splitlines()
    assert [line.split()[0] for line in lines] == ["1", "2"]
    assert lines[0].index("2025") == lines[1].index("2025")
    data = json.loads(run("session", "list", "--json"))
    assert [s["number"] for s in data] == [1, 2]
    assert list(data[0]) == ["number", "started_at", "route", "dose", "intentions", "readings"]


def test_it_notes_readings_when_adding_a_session_and_later(patient):
    run("session", "add", "--date", "2025-03-14", "--bp-before", "128/84", "--hr-before", "72")
    s = Session.objects.get()
    assert (s.systolic_before, s.diastolic_before, s.heart_rate_before, s.systolic_leaving) == (128, 84, 72, None)
    out = run("session", "readings", "1", "--bp-leaving", "142 / 90", "--hr-leaving", "88")
    s.refresh_from_db()
    assert (s.systolic_leaving, s.diastolic_leaving, s.heart_rate_leaving, s.heart_rate_before) == (142, 90, 88, 72)
    assert "before the dose 128/84 mmHg, heart rate 72; before leaving 142/90 mmHg, heart rate 88" in out
    assert json.loads(run("session", "list", "--json"))[0]["readings"]["systolic_leaving"] == 142


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bp-before", "120-80"], "two numbers with a slash"),
        (["--bp-before", "80/120"], "top number (systolic) is normally the larger"),
        (["--bp-before", "400/80"], "Afterglow takes 60 to 260 mmHg"),
        (["--bp-leaving", "120/10"], "Afterglow takes 30 to 160 mmHg"),
        (["--hr-before", "7"], "Afterglow takes 25 to 250 beats a minute"),
        (["--hr-leaving", "fast"], "whole number"),
    ],
)
def test_it_refuses_implausible_readings_kindly(patient, args, message):
    assert message in refused("session", "add", "--date", "2025-03-14", *args)
    assert not Session.objects.exists()


def test_readings_need_a_session_that_exists_and_something_to_note(patient):
    assert "no session 3" in refused("session", "readings", "3", "--hr-before", "70")
    run("session", "add", "--date", "2025-03-14")
    assert "Nothing to note" in refused("session", "readings", "1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2025-02-30"], "not a day on the calendar"),
        (["--date", "14/03/2025"], "should look like"),
        (["--date", "2025-03-14", "--time", "25:00"], "not a time of day"),
        (["--date", "2025-03-14", "--dose", "x" * 201], "too long"),
    ],
)
def test_it_refuses_a_bad_session(patient, args, message):
    assert message in refused("session", "add", *args)
    assert not Session.objects.exists()


# --- write ---


def test_it_writes_an_entry_from_the_argument(patient):
    out = run("write", "Calm after the walk")
    entry = Entry.objects.get()
    assert (entry.text, entry.mode, entry.private, entry.session) == ("Calm after the walk", "free", False, None)
    assert entry.revisions.count() == 1
    assert str(entry.pk) in out


def test_it_links_an_entry_to_a_session_and_a_prompt(patient):
    run("session", "add", "--date", "2025-03-14")
    run("write", "Red and gold", "--session", "1", "--prompt", "three-stage/first", "--private")
    entry = Entry.objects.get()
    assert entry.session.number == 1
    assert (entry.prompt_id, entry.mode, entry.private) == ("three-stage/first", "guided", True)
    assert entry.prompt_text


def test_it_stores_crlf_from_stdin_as_lf_like_the_web(patient, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"first line\r\nsecond line\rthird\r\n"), encoding="utf-8"))
    run("write")
    entry = Entry.objects.get()
    assert entry.text == entry.revisions.get().text == "first line\nsecond line\nthird"


def test_a_prompt_id_from_the_cli_resolves_exactly_as_on_the_web(patient, client):
    own = OwnPrompt.objects.create(owner=patient, stage=OwnPrompt.Stage.REFLECTION, text="What did the music do?")
    key = f" own/0{own.pk}"  # spaces and a leading zero: the web reads them as own/<pk>
    run("write", "From the terminal", "--prompt", key)
    sent = csrf_post(client, reverse("autosave"), {"uid": str(uuid.uuid4()), "text": "From the browser", "prompt": key})
    assert sent.status_code == 200
    cli, web = Entry.objects.order_by("pk")
    assert (cli.prompt_id, cli.prompt_text, cli.mode) == (web.prompt_id, web.prompt_text, web.mode)
    assert (web.prompt_id, web.mode) == (f"own/{own.pk}", "guided")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "nothing to save"),
        (["hi", "--session", "4"], "no session 4"),
        (["hi", "--prompt", "nope/none"], "no prompt"),
        (["bad \udcff bytes"], "not valid UTF-8"),
    ],
)
def test_it_refuses_a_bad_entry(patient, args, message):
    assert message in refused("write", *args)
    assert not Entry.objects.exists()


def test_it_refuses_an_entry_over_the_limit(patient, settings):
    settings.ENTRY_MAX_CHARS = 10
    assert "too long" in refused("write", "x" * 11)


# --- checkin ---


def test_it_keeps_every_checkin_of_a_day(patient):
    run("checkin", "--mood", "6", "--anxiety", "3", "--sleep", "6,5", "--energy", "4", "--note", "stiff neck")
    assert "Saved a check-in for" in run("checkin", "--mood", "7", "--pain", "4")
    first, second = CheckIn.objects.order_by("at", "id")
    assert (first.day, first.mood, first.anxiety, first.sleep_hours) == (timezone.localdate(), 6, 3, Decimal("6.5"))
    assert first.pain is None
    assert (second.day, second.mood, second.anxiety, second.pain) == (timezone.localdate(), 7, None, 4)


def test_it_checks_in_for_an_earlier_day_at_noon_or_the_time_given(patient):
    out = run("checkin", "--mood", "5", "--date", "2025-01-02", "--sleep", "7.5")
    run("checkin", "--mood", "3", "--date", "2025-01-02", "--time", "18:45")
    noon, evening = CheckIn.objects.order_by("at")
    assert "2025-01-02 12:00" in out and str(noon.sleep_hours) == "7.5"
    assert timezone.localtime(evening.at).strftime("%Y-%m-%d %H:%M") == "2025-01-02 18:45"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mood", "11"], "1 to 10"),
        (["--mood", "0"], "1 to 10"),
        (["--mood", "seven"], "whole number"),
        (["--mood", "5", "--anxiety", "-1"], "0 to 10"),
        (["--mood", "5", "--sleep", "25"], "0 to 24"),
        (["--mood", "5", "--energy", "11"], "1 to 10"),
        (["--mood", "5", "--pain", "11"], "0 to 10"),
        (["--mood", "5", "--pain", "a lot"], "whole number"),
        (["--mood", "5", "--time", "7pm"], "24-hour clock"),
        (["--mood", "5", "--date", "2025-13-01"], "not a day"),
        (["--mood", "5", "--date", (timezone.localdate() + timedelta(days=2)).isoformat()], "not happened yet"),
    ],
)
def test_it_refuses_a_bad_checkin(patient, args, message):
    assert message in refused("checkin", *args)
    assert not CheckIn.objects.exists()


# --- list ---


def make_entries(patient, count: int) -> list[Entry]:
    start = timezone.now() - timedelta(days=count)
    return [create_entry(patient, f"entry number {n}", created_at=start + timedelta(hours=n)) for n in range(count)]


def test_it_lists_the_newest_first(patient):
    entries = make_entries(patient, 8)
    lines = run("list", "-n", "5").splitlines()
    assert [int(line.split()[0]) for line in lines] == [e.pk for e in reversed(entries)][:5]
    assert lines[0].endswith("entry number 7")


def test_it_lists_one_sessions_entries(patient):
    run("session", "add", "--date", "2025-03-14")
    linked = create_entry(patient, "about session one", session=Session.objects.get())
    create_entry(patient, "unlinked")
    lines = run("list", "--session", "1").splitlines()
    assert [int(line.split()[0]) for line in lines] == [linked.pk]
    assert "s1" in lines[0]


def test_it_lists_as_json_with_the_full_text(patient):
    long_text = "word " * 500
    entry = create_entry(patient, long_text.strip(), title="Long")
    (item,) = json.loads(run("list", "--json"))
    assert list(item) == ["id", "uid", "created_at", "session", "mode", "prompt_id", "title", "private", "text"]
    assert (item["id"], item["uid"], item["text"]) == (entry.pk, str(entry.uid), entry.text)


def test_it_shows_one_line_per_entry(patient):
    create_entry(patient, "first line\nsecond line\n\nthird " + "long " * 200)
    (line,) = run("list").splitlines()
    assert "first line second line" in line
    assert len(line) <= 100


def test_it_refuses_a_bad_list(patient):
    assert "1 or more" in refused("list", "-n", "0")
    assert "no session 2" in refused("list", "--session", "2")


def test_it_lists_without_reading_every_entry(patient, django_assert_max_num_queries):
    make_entries(patient, 30)
    with django_assert_max_num_queries(3):
        run("list", "-n", "5")


# --- search ---


def test_it_searches_with_marked_snippets(patient):
    create_entry(patient, "the sea was loud")
    best = create_entry(patient, "the sea, the sea, always the sea")
    lines = run("search", "sea").splitlines()
    assert int(lines[0].split()[0]) == best.pk
    assert "[sea]" in lines[0]
    assert "\x1b[" not in "".join(lines)  # no colour when not on a terminal


def test_it_searches_as_json(patient):
    entry = create_entry(patient, "orange light through the blinds")
    (hit,) = json.loads(run("search", "orange", "--json"))
    assert list(hit) == ["id", "uid", "created_at", "session", "title", "private", "snippet", "score", "kind"]
    assert hit["id"] == entry.pk
    assert "[orange]" in hit["snippet"] and hit["kind"] == "entry" and hit["uid"] == str(entry.uid)


def test_it_searches_any_text(patient):
    create_entry(patient, "plain words")
    assert json.loads(run("search", 'NEAR( "a" AND -b:', "--json")) == []
    assert "at least one word" in refused("search", "* - ()")
    assert "1 or more" in refused("search", "plain", "--limit", "0")


def test_it_limits_search_results(patient):
    for n in range(4):
        create_entry(patient, f"cloud {n}")
    assert len(run("search", "cloud", "--limit", "2").splitlines()) == 2


def test_an_earlier_session_added_later_is_session_1_for_every_verb(patient):
    today = timezone.localdate()
    run("session", "add", "--date", today.isoformat(), "--dose", "today")
    out = run("session", "add", "--date", (today - timedelta(days=5)).isoformat(), "--dose", "earlier")
    assert "Added session 1 on" in out
    lines = run("session", "list").splitlines()
    assert [line.split()[0] for line in lines] == ["1", "2"] and "earlier" in lines[0]
    run("write", "About the first one", "--session", "1")
    assert Entry.objects.get().session.dose == "earlier"
    assert "s1" in run("list", "--session", "1")
    (hit,) = json.loads(run("search", "first", "--json"))
    assert hit["session"] == 1
