"""`afterglow search` covers every source the search page does, with the same filters and refusals."""

from __future__ import annotations

import json

import pytest

from afterglow.journal.models import Intention
from tests.cli.verbs import refused, run
from tests.search.sources import CANARIES, plant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(CANARIES))
def test_the_cli_finds_the_canary_planted_in_each_kind(patient, kind):
    made = plant(patient)
    (hit,) = json.loads(run("search", CANARIES[kind], "--json"))
    assert hit["kind"] == ("intention" if kind == "revisit" else kind) and hit["id"] == made[kind].pk
    assert f"[{CANARIES[kind]}]" in hit["snippet"].lower()


def test_the_cli_says_what_each_result_is(patient):
    plant(patient)
    line = run("search", CANARIES["checkin"])
    assert "Check-in note" in line and "[lugworm]" in line


def test_the_cli_filters_by_kind_and_session(patient):
    made = plant(patient)
    Intention.objects.create(owner=patient, session=made["session"], text="golden light")
    assert {h["kind"] for h in json.loads(run("search", "golden", "--json"))} == {"capture", "intention"}
    (hit,) = json.loads(run("search", "golden", "--kind", "intention", "--json"))
    assert hit["kind"] == "intention"
    assert len(json.loads(run("search", "golden", "--session", "1", "--json"))) == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["golden", "--kind", "diary"], "not a kind"),
        (["golden", "--session", "7"], "no session 7"),
        (["golden", "--since", "yesterday"], "should look like"),
        (["golden", "--since", "2026-02-02", "--until", "2026-01-01"], "after --until"),
        (["golden", "--tag", "#!!"], "tag"),
        (['"*"', "-", "("], "at least one word"),
        (["heron " * 2000], "characters"),
    ],
)
def test_the_cli_refuses_bad_input_in_one_line(patient, args, message):
    plant(patient)
    text = refused("search", *args)
    assert message in text and "\n" not in text
