"""The side-effect grid and theme extraction."""

from __future__ import annotations

import pytest

from afterglow.insights import grid, themes
from afterglow.journal.models import Capture
from afterglow.web import unchanged
from tests.journal.course_factories import course, days_ago, entry, session

pytestmark = pytest.mark.django_db


def test_the_grid_puts_sessions_across_and_marked_effects_down_with_their_levels(patient):
    c = course(patient)
    s1, s2, s3 = session(patient, c, days_ago(20)), session(patient, c, days_ago(10)), session(patient, c, days_ago(5))
    Capture.objects.create(owner=patient, session=s1, sensations={"nausea": 2, "tingling": 0}, dissociation=3, slept=True)
    Capture.objects.create(owner=patient, session=s3, sensations={"nausea": 1, "chest_pain": 2}, dissociation=0, slept=False)
    found = grid.grid([s1, s2, s3])
    assert found.captured == (True, False, True)
    rows = {r.label: r for r in found.effects}
    # Only what was marked above "none" in some session gets a row, in the capture's own order.
    assert list(rows) == ["Nausea", "Chest pain or pressure"]
    assert [cell.level for cell in rows["Nausea"].cells] == [2, None, 1]
    assert rows["Chest pain or pressure"].warning and not rows["Nausea"].warning
    states = {r.label: r for r in found.states}
    assert [cell.level for cell in states["Dissociation"].cells] == [3, None, 0]
    assert [cell.text for cell in states["Slept during the session"].cells] == ["yes", "", "no"]
    assert rows["Nausea"].cells[0].shade == "level-2" and rows["Nausea"].cells[1].shade == "level-none"


def test_a_course_without_captures_is_an_empty_grid(patient):
    c = course(patient)
    assert grid.grid([session(patient, c, days_ago(3))]).empty


FILLER = [
    "Walked to the shop and bought bread for the week.",
    "Rain again, stayed inside with a book about birds.",
    "Called my sister, we talked about her garden plans.",
    "Work was busy; the printer broke twice before lunch.",
    "Cooked soup and watched the evening news.",
    "Long meeting about budgets, then a quiet train home.",
    "Tidied the cupboard and found old letters.",
]


def test_a_theme_planted_in_five_entries_is_found_and_a_stop_word_never_is(patient):
    c = course(patient, days_ago(40))
    s = session(patient, c, days_ago(30))
    for n, text in enumerate(FILLER):
        entry(patient, f"The day was long. {text}", session=s if n % 2 else None)
    for n in range(5):
        entry(patient, f"The lighthouse keeper came back in a dream, number {n}, and the sea was loud.")
    found = themes.compute(c)
    names = [t.name for t in found.words]
    assert "lighthouse keeper" in names
    planted = found.words[names.index("lighthouse keeper")]
    assert planted.count == 5 and len(planted.links) == 5
    assert all(link.href.startswith("/entries/") for link in planted.links)
    # "the" is in every piece of writing, and never a theme; neither is a phrase made of it.
    assert not any(word in themes.stop_words() for name in names for word in (name.split()[0], name.split()[-1]))
    assert "the" not in names and "day" not in names


def test_feelings_are_grouped_from_the_word_list_and_the_capture(patient):
    c = course(patient, days_ago(40))
    s = session(patient, c, days_ago(30))
    entry(patient, "I felt so calm by the water.")
    entry(patient, "Peaceful morning, slow coffee.")
    Capture.objects.create(owner=patient, session=s, emotions=["relief", "awe"])
    groups = {t.name: t.count for t in themes.compute(c).feelings}
    assert groups["calm and peace"] == 3


def test_images_come_from_what_was_seen_in_the_captures(patient):
    c = course(patient, days_ago(40))
    for n in range(3):
        s = session(patient, c, days_ago(30 - n * 7))
        Capture.objects.create(owner=patient, session=s, saw_colours="deep violet, gold", saw_places="a forest after rain")
    images = [t.name for t in themes.compute(c).images]
    assert "deep violet" in images
    assert "forest" in " ".join(images)


def test_only_the_courses_own_writing_counts(patient):
    from tests.journal.course_factories import stranger

    c = course(patient, days_ago(40))
    someone = stranger()
    theirs = course(someone, days_ago(40))
    session(someone, theirs, days_ago(20))
    for _ in range(4):
        entry(someone, "Their secret garden party again.")
    assert themes.compute(c).pieces == 0


def test_a_changed_entry_is_read_again_and_a_deleted_one_drops_out(patient):
    c = course(patient, days_ago(40))
    written = [entry(patient, "The lighthouse keeper waved.") for _ in range(3)]
    assert "lighthouse keeper waved" in [t.name for t in themes.compute(c).words]
    from afterglow.journal.entries import save_text

    save_text(written[0], "Only the harbour today.")
    written[1].delete()
    assert "lighthouse keeper waved" not in [t.name for t in themes.compute(c).words]
    assert themes.compute(c).pieces == 2


def test_locking_the_vault_drops_what_themes_keep_in_memory(patient):
    c = course(patient, days_ago(40))
    entry(patient, "Words to remember.")
    themes.compute(c)
    assert themes._indexes
    unchanged.forget()
    assert not themes._indexes


def test_a_feeling_word_counts_under_its_feeling_not_again_as_a_word():
    words, feelings = themes.terms("So calm today. Calm waters again.")
    assert "calm" not in words and "calm waters" in words
    assert feelings == {"calm and peace"}


def test_a_new_session_takes_the_writing_after_it_for_its_own_themes(patient):
    c = course(patient, days_ago(40))
    first = session(patient, c, days_ago(30))
    from tests.journal.course_factories import at

    for n in range(3):
        entry(patient, "The orchard gate was open.", when=at(days_ago(5 - n)))
    assert "orchard gate" in [t.name for t in themes.compute(c).by_session[first.pk]]
    second = session(patient, c, days_ago(10))
    found = themes.compute(c)
    assert found.by_session[first.pk] == ()
    gate = {t.name: t for t in found.by_session[second.pk]}["orchard gate"]
    assert gate.sessions == ((2, 3),)


def test_a_sessions_own_themes_are_what_sets_its_writing_apart(patient):
    c = course(patient, days_ago(60))
    sessions = [session(patient, c, days_ago(50 - n * 10)) for n in range(4)]
    for s in sessions:
        for _ in range(3):
            entry(patient, "Garden chores and garden chores again.", session=s)
    for _ in range(3):
        entry(patient, "The blue heron stood by the pond.", session=sessions[2])
    found = themes.compute(c)
    own = [t.name for t in found.by_session[sessions[2].pk]]
    assert "blue heron stood" in own
    assert "garden chores" not in own  # around every session: not this one's own
    assert found.by_session[sessions[0].pk] == ()


@pytest.mark.django_db(transaction=True)
def test_themes_are_worked_out_again_only_when_the_journal_changes(patient, monkeypatch):
    # Outside a test transaction, as a running server is: `unchanged` only keeps reads there.
    c = course(patient, days_ago(40))
    entry(patient, "The lighthouse keeper waved.")
    calls = []
    real = themes.compute
    monkeypatch.setattr(themes, "compute", lambda course: calls.append(course.pk) or real(course))
    themes.course_themes(c)
    themes.course_themes(c)
    assert len(calls) == 1
    entry(patient, "Another evening by the harbour.")
    assert themes.course_themes(c).pieces == 2
    assert len(calls) == 2
